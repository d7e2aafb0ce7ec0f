/**
 * The audit: explains every exposure from a scan and a host snapshot.
 *
 * <p>{@link org.aiscan.audit.Netfilter} walks a packet through the snapshot's firewall the way the
 * kernel does (raw and nat prerouting with DNAT, the routing decision, filter input or forward;
 * iptables first-match with jumps and policies, nftables base chains in priority order, both stacks
 * together). The rules it walks are typed once, when the snapshot is loaded: {@link org.aiscan.audit.IptablesCompiler},
 * {@link org.aiscan.audit.NftCompiler} and {@link org.aiscan.audit.UfwCompiler} read iptables options, nftables
 * expressions and ufw rows into the same {@link org.aiscan.audit.FwRule} of {@link org.aiscan.audit.Cond} matches
 * and a {@link org.aiscan.audit.Stmt}, so one evaluator answers for all three, and a construct it cannot read
 * is a typed unknown that makes the verdict uncertain. {@link org.aiscan.audit.Correlator} compares its predictions with what the scan saw, and
 * {@link org.aiscan.audit.Diagnoser} turns both into the diagnosis codes of the policy in
 * {@code rulesets/policy/audit.yaml}. Everything here is pure: the same snapshot and scan give the
 * same answer.
 */
@NullMarked
package org.aiscan.audit;

import org.jspecify.annotations.NullMarked;
