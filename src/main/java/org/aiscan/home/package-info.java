/**
 * Where aiscan's operator-facing data lives: the checkout or install folder named by
 * {@code -Daiscan.home} / {@code AISCAN_HOME} (so edited port groups and rulesets take effect), and
 * the copy packaged inside the jar as the fallback.
 */
@NullMarked
package org.aiscan.home;

import org.jspecify.annotations.NullMarked;
