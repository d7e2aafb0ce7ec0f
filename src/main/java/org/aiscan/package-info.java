/**
 * The entry point ({@code Main}): starts the command line of {@code cli} and exits with its code.
 */
@NullMarked
package org.aiscan;

import org.jspecify.annotations.NullMarked;
