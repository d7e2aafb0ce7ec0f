/**
 * The command line: picocli commands that turn options into requests for the stages and map
 * outcomes to exit codes (an {@link org.aiscan.model.AiscanException} carries its own). No engine
 * logic lives here, and nothing depends on this package. Every command declares its options in code
 * through {@code OptionTable} (no picocli annotations: their reflection costs start-up). The scan is the largest: {@code
 * ScanCommand} declares its options, {@code ScanConfig} checks them with the environment variables
 * that tune a scan (read here and nowhere below), and {@code ScanSession} runs it through named
 * parts (targets, route guard, engine chooser, dry run, resumable run, exposure gate, reports).
 */
@NullMarked
package org.aiscan.cli;

import org.jspecify.annotations.NullMarked;
