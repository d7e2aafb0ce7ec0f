/**
 * The command line: picocli commands that turn options into requests for the stages and map
 * outcomes to exit codes. No engine logic lives here, and nothing depends on this package.
 */
package org.aiscan.cli;
