/**
 * aiscan as a scheduled job: a state folder that keeps each run's results and a lock so runs never
 * overlap, checkpoints that let an interrupted scan resume, accepted exposures with reasons and
 * expiry, the comparison of two scans, and the merge of shards scanned on many machines.
 */
@NullMarked
package org.aiscan.schedule;

import org.jspecify.annotations.NullMarked;
