package org.aiscan.audit;

/** Three-valued match result: a rule the evaluator cannot read matches {@link #UNKNOWN}, never false. */
enum Tri {
    TRUE, FALSE, UNKNOWN;

    static Tri of(boolean b) {
        return b ? TRUE : FALSE;
    }

    Tri and(Tri o) {
        if (this == FALSE || o == FALSE) {
            return FALSE;
        }
        return this == UNKNOWN || o == UNKNOWN ? UNKNOWN : TRUE;
    }

    Tri or(Tri o) {
        if (this == TRUE || o == TRUE) {
            return TRUE;
        }
        return this == UNKNOWN || o == UNKNOWN ? UNKNOWN : FALSE;
    }

    Tri not() {
        return this == UNKNOWN ? UNKNOWN : this == TRUE ? FALSE : TRUE;
    }

    Tri negateIf(boolean negate) {
        return negate ? not() : this;
    }
}
