/**
 * Writers that render the scan model: JSON Lines (the canonical, streamed format), the human
 * table, and later the formats other tools read. Writers see model objects only, never engines.
 */
@NullMarked
package org.aiscan.report;

import org.jspecify.annotations.NullMarked;
