/**
 * Start-up and phase timing for whoever tunes aiscan ({@code AISCAN_TRACE=1}), usable from every
 * stage: it depends on nothing of aiscan's, so a stage that marks its phases does not depend on the
 * console that talks to people.
 */
@NullMarked
package org.aiscan.trace;

import org.jspecify.annotations.NullMarked;
