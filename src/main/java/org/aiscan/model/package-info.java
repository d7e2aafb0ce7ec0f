/**
 * Immutable value types shared by every stage: addresses, port results, services, summaries.
 *
 * <p>This package depends on nothing else in aiscan and on no library. Stages exchange these
 * objects and never each other's internals; writers in {@code report} render them.
 */
@NullMarked
package org.aiscan.model;

import org.jspecify.annotations.NullMarked;
