/**
 * What to scan: target specs (addresses, CIDR, ranges, host names, files), exclusions, port lists
 * and named port groups, and the {@link org.aiscan.target.ScanPlan}: a seeded random permutation
 * over (address × port) in constant memory, split into disjoint shards.
 *
 * <p>Only this package knows the IPAddress library; everything leaving it is a
 * {@link org.aiscan.model.Address}.
 */
@NullMarked
package org.aiscan.target;

import org.jspecify.annotations.NullMarked;
