package org.aiscan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.aiscan.grab.Limits;
import org.aiscan.host.Collector;
import org.aiscan.model.Address;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.probe.EngineOptions;
import org.aiscan.probe.syn.SendOptions;
import org.aiscan.probe.syn.SynSupport;
import org.aiscan.schedule.StateDir;
import org.aiscan.target.PortList;
import org.aiscan.target.PortSpec;
import org.aiscan.target.Shard;
import org.aiscan.target.TargetGuard;
import org.jspecify.annotations.Nullable;

/**
 * What one scan was asked to do: its command line and the environment variables that tune it, read
 * once, checked, and handed to the stages as values. The scan's defaults are the option table's
 * ({@link ScanCommand#commandLine()}) and {@link Limits#DEFAULT}. The stages read no environment
 * variable of their own: where packets may go, how frames are sent and where the state folder is are
 * decided here. (Process-wide settings stay where they act: {@code AISCAN_HOME} where the installation
 * is found, {@code AISCAN_NO_TTY} and {@code JOURNAL_STREAM} in the console, {@code AISCAN_TRACE} in
 * the start-up trace.)
 *
 * @param targets what to scan, as given
 * @param ports the ports, groups expanded
 * @param shard the part of the probe order this run takes
 * @param seed the probe order's seed, or null for a random one (a resume takes the interrupted run's)
 * @param probing how probes are sent
 * @param identify how open endpoints are identified
 * @param output where results go
 * @param state the state folder, baseline and resume
 * @param cdsTraining {@code AISCAN_CDS_TRAINING}: the launcher is recording a class-data archive, so
 *     the SYN engine's classes are loaded even when this scan does not use them
 */
record ScanConfig(Targets targets, PortList ports, Shard shard, @Nullable Long seed, Probing probing, Identify identify, Output output, State state,
                  boolean cdsTraining) {
    /** The shortest wait once round trips are measured, when {@code --min-timeout} is not given. */
    static final int CONNECT_MIN_TIMEOUT = 50;
    static final int SYN_MIN_TIMEOUT = 20;

    /**
     * What to scan, as the user wrote it; the addresses are resolved and the files read when the scan
     * starts ({@link ScanTargets}).
     */
    record Targets(List<String> specs, List<String> inputFiles, List<String> excludes, List<Path> excludeFiles, boolean defaultExcludes,
                   boolean excludeSelf, boolean allowLarge) {
        Targets {
            specs = List.copyOf(specs);
            inputFiles = List.copyOf(inputFiles);
            excludes = List.copyOf(excludes);
            excludeFiles = List.copyOf(excludeFiles);
        }

        /** The targets as the run record and the checkpoint name them: each spec, then {@code -iL FILE}. */
        List<String> described() {
            List<String> all = new ArrayList<>(specs);
            for (String f : inputFiles) {
                all.add("-iL " + f);
            }
            return all;
        }
    }

    /**
     * How probes are sent. {@code sourceIps} and {@code routerMac} are checked when SYN is considered
     * ({@link #overrides()}), as a connect scan never uses them.
     *
     * @param guard {@code AISCAN_ALLOWED_NETS}: where packets may go
     */
    record Probing(ScanCommand.Mode mode, long rate, int timeout, @Nullable Integer minTimeout, int retries, int concurrency, String iface,
                   List<String> sourceIps, @Nullable String routerMac, SendOptions sending, TargetGuard guard) {
        Probing {
            sourceIps = List.copyOf(sourceIps);
        }

        EngineOptions connect() {
            return options(CONNECT_MIN_TIMEOUT);
        }

        EngineOptions syn() {
            return options(SYN_MIN_TIMEOUT);
        }

        private EngineOptions options(int defaultMinTimeout) {
            int min = minTimeout != null ? minTimeout : defaultMinTimeout;
            return new EngineOptions(rate, timeout, Math.min(min, timeout), retries, concurrency);
        }

        /** The SYN engine's overrides; a source address or MAC that is not one is a usage error. */
        SynSupport.Overrides overrides() {
            Address v4 = null;
            Address v6 = null;
            for (String s : sourceIps) {
                Address a;
                try {
                    a = Address.parse(s);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("bad --source-ip '" + s + "': expected an IPv4 or IPv6 address");
                }
                if (a.isV6()) {
                    v6 = a;
                } else {
                    v4 = a;
                }
            }
            if (routerMac != null) {
                SynSupport.parseMacOption(routerMac); // validate early: a usage error, not a fallback
            }
            return new SynSupport.Overrides(iface, v4, v6, routerMac);
        }
    }

    /**
     * How open endpoints are identified.
     *
     * @param on false with {@code --no-fingerprint}
     * @param rulesDir the user's rules folder, or null for the installed rules
     */
    record Identify(boolean on, int threads, Limits limits, Path rulesDir) {
    }

    /**
     * Where results go.
     *
     * @param jsonl the JSON Lines file, {@code -} for stdout, or null
     * @param reports the report files asked for (read-only once parsed)
     */
    record Output(@Nullable String jsonl, boolean allStates, boolean dryRun, boolean quiet, ReportOptions reports) {
        /** The port states written: open ones, or all with {@code --all-states}. */
        Predicate<PortState> shown() {
            return allStates ? st -> true : st -> st == PortState.OPEN;
        }

        boolean jsonOnStdout() {
            return "-".equals(jsonl);
        }
    }

    /**
     * The state folder and what is judged against it.
     *
     * @param dir {@code --state-dir}, or with {@code --resume} alone the default folder; null without either
     * @param baseline the accepted exposures, or null
     */
    record State(@Nullable Path dir, boolean resume, @Nullable Path baseline, int keep, long checkpointEvery) {
        /** Whether the run keeps its results in a state folder. */
        boolean used() {
            return dir != null;
        }
    }

    /**
     * The configuration of a parsed command line in this environment. Option values out of range,
     * report paths that cannot be written, and port lists and shards that do not parse are usage errors.
     */
    static ScanConfig of(ScanCommand c, Map<String, String> env) {
        checkNumbers(c);
        c.reports.check();
        PortList ports = PortSpec.parse(c.ports);
        Shard shard = c.shard == null ? Shard.WHOLE : Shard.parse(c.shard);
        Targets targets = new Targets(c.targets, c.inputFiles, c.excludes, c.excludeFiles, !c.noDefaultExcludes, c.excludeSelf, c.allowLarge);
        SendOptions sending = new SendOptions(Math.max(0, c.sendThreads), "pcap".equals(env.get("AISCAN_SEND")),
                env.get("AISCAN_QDISC_BYPASS") != null);
        Probing probing = new Probing(c.mode, c.rate, c.timeout, c.minTimeout, c.retries, c.concurrency, c.iface, c.sourceIps, c.routerMac,
                sending, guard(env));
        Identify identify = new Identify(!c.noFingerprint, c.fingerprintThreads,
                Limits.DEFAULT.within(c.requestTimeout, c.endpointBudget, c.hostBudget), c.rulesDir);
        Output output = new Output(c.jsonl, c.allStates, c.dryRun, c.quiet, c.reports);
        Path stateDir = c.stateDir != null ? c.stateDir : c.resume ? StateDir.defaultDir(Collector.isRoot(), env.get("XDG_STATE_HOME")) : null;
        State state = new State(stateDir, c.resume, c.baseline, c.keep, c.checkpointEvery);
        return new ScanConfig(targets, ports, shard, c.seed, probing, identify, output, state, env.get("AISCAN_CDS_TRAINING") != null);
    }

    /** Where packets may go: {@value TargetGuard#ENV} of {@code env}, unrestricted when unset. */
    static TargetGuard guard(Map<String, String> env) {
        return TargetGuard.parse(env.get(TargetGuard.ENV));
    }

    private static void checkNumbers(ScanCommand c) {
        if (c.rate < 0) {
            throw new InvalidInputException("--rate must be 0 (unlimited) or more, not " + c.rate);
        }
        if (c.timeout < 1 || c.timeout > 600_000) {
            throw new InvalidInputException("--timeout must be 1-600000 ms, not " + c.timeout);
        }
        if (c.minTimeout != null && c.minTimeout < 1) {
            throw new InvalidInputException("--min-timeout must be at least 1 ms, not " + c.minTimeout);
        }
        if (c.retries < 0 || c.retries > 10) {
            throw new InvalidInputException("--retries must be 0-10, not " + c.retries);
        }
        if (c.fingerprintThreads < 1 || c.fingerprintThreads > 1024) {
            throw new InvalidInputException("--fingerprint-threads must be 1-1024, not " + c.fingerprintThreads);
        }
        if (c.requestTimeout < 100 || c.endpointBudget < c.requestTimeout || c.hostBudget < c.endpointBudget) {
            throw new InvalidInputException("--request-timeout must be at least 100 ms, --endpoint-budget at least as long, "
                    + "and --host-budget at least as long as that");
        }
        if (c.concurrency < 1 || c.concurrency > 1_000_000) {
            throw new InvalidInputException("--concurrency must be 1-1000000, not " + c.concurrency);
        }
    }
}
