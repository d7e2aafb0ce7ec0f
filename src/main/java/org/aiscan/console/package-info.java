/**
 * Everything aiscan says to a person on stderr: one-line messages, and progress while a scan runs —
 * a live status line drawn by JLine when stderr is a terminal, periodic plain lines when it is not
 * (logs, CI, journald). Results never go here; they go to stdout or files.
 */
@NullMarked
package org.aiscan.console;

import org.jspecify.annotations.NullMarked;
