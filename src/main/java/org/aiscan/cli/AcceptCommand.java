package org.aiscan.cli;

import org.aiscan.console.Console;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aiscan.model.Address;
import org.aiscan.model.Endpoint;
import org.aiscan.model.InvalidInputException;
import org.aiscan.model.PortState;
import org.aiscan.model.ScanResult;
import org.aiscan.report.ScanFile;
import org.aiscan.schedule.Accepted;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/** {@code aiscan accept}: record reviewed exposures in the baseline file. */
public final class AcceptCommand implements Callable<Integer> {
    Path baseline;
    String reason;
    @Nullable String expires;
    @Nullable String service;
    @Nullable Path from;
    List<String> endpoints = new ArrayList<>();

    /** This command's command line, declared in code ({@link OptionTable}). */
    static CommandLine commandLine() {
        AcceptCommand c = new AcceptCommand();
        OptionTable t = OptionTable.command(c, "accept")
                .description("Record reviewed exposures in an accepted-exposures file for 'scan --baseline'.",
                        "Endpoints are given as ADDRESS:PORT ([v6]:PORT), or every open endpoint of a scan with --from; each needs a reason.");
        t.option("--baseline").required().label("FILE").about("The accepted-exposures file (created if missing).")
                .value(Path.class, v -> c.baseline = v);
        t.option("--reason").required().label("TEXT").about("Why these may stay reachable (who reviewed, ticket).")
                .value(String.class, v -> c.reason = v);
        t.option("--expires").label("YYYY-MM-DD").about("After this day the acceptance counts as expired.")
                .value(String.class, v -> c.expires = v);
        t.option("--service").label("ID").about("Accept only while the endpoint is this service (default with --from: the service found).")
                .value(String.class, v -> c.service = v);
        t.option("--from").label("SCAN.jsonl").about("Accept every open endpoint of this scan.").value(Path.class, v -> c.from = v);
        t.positional("ENDPOINT").arity("0..*").list(String.class, () -> c.endpoints, v -> c.endpoints = v);
        return t.commandLine();
    }

    @Override
    public Integer call() throws Exception {
        if (reason.isBlank()) {
            throw new InvalidInputException("--reason must say why");
        }
        LocalDate until = null;
        if (expires != null) {
            try {
                until = LocalDate.parse(expires);
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("--expires " + expires + ": not a date (YYYY-MM-DD)");
            }
        }
        List<Accepted.Entry> add = new ArrayList<>();
        for (String ep : endpoints) {
            int colon = ep.lastIndexOf(':');
            try {
                Address a = Address.parse(ep.substring(0, Math.max(0, colon)));
                int port = Integer.parseInt(ep.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                add.add(new Accepted.Entry(a, port, service, reason.strip(), until, 0));
            } catch (RuntimeException e) {
                throw new InvalidInputException("'" + ep + "' is not ADDRESS:PORT ([v6]:PORT for IPv6)");
            }
        }
        if (from != null) {
            for (Endpoint e : ScanFile.read(from).endpoints()) {
                if (e.port().state() == PortState.OPEN) {
                    String svc = service != null ? service : e.service() == null ? null : e.service().id();
                    add.add(new Accepted.Entry(e.port().address(), e.port().port(), svc, reason.strip(), until, 0));
                }
            }
        }
        if (add.isEmpty()) {
            throw new InvalidInputException("nothing to accept: give ENDPOINTs or --from SCAN.jsonl");
        }
        Accepted.append(baseline, add);
        try (Console console = Console.system(false)) {
            console.say(add.size() + " exposure(s) accepted in " + baseline);
        }
        return ExitCodes.OK;
    }
}
