/**
 * Runs the pipeline for one scan: the engine on its own thread, results handed over a queue of
 * typed events to the writers on the calling thread (so a slow disk never stalls probing), progress
 * on the console, and a clean end on completion, cancellation or failure — with everything found so
 * far written. The fingerprint stage is seen through {@link org.aiscan.scan.ServiceIdentifier}, so
 * the job is tested with doubles, without root or a network.
 */
@NullMarked
package org.aiscan.scan;

import org.jspecify.annotations.NullMarked;
