/**
 * Runs the pipeline for one scan: the engine on its own thread, results handed over a queue to the
 * writers on the calling thread (so a slow disk never stalls probing), progress on the console,
 * and a clean end on completion, cancellation or failure — with everything found so far written.
 */
package org.aiscan.scan;
