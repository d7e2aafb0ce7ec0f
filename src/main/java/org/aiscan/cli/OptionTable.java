package org.aiscan.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Options declared in code, for the commands whose start-up matters (a scan, run by schedules and
 * benchmarks). For an annotated command picocli reads every annotation by reflection, and the JVM
 * makes a proxy class per annotation type and a method handle per attribute at run time, none of
 * which a start-up cache can hold: measured on 2 cores with the AOT cache, the annotated scan
 * command took about 90 ms from main to a parsed command line, this table about 25 ms.
 *
 * <p>Each option binds straight to its command's field through a setter; picocli's parser, help,
 * defaults ({@code ${DEFAULT-VALUE}}) and type conversion are unchanged.
 */
final class OptionTable {
    private final CommandSpec spec;

    private OptionTable(CommandSpec spec) {
        this.spec = spec;
    }

    /** A table filling a command (or a mixin) whose user object runs it; nothing is read by reflection. */
    static OptionTable of(Object command) {
        return new OptionTable(CommandSpec.wrapWithoutInspection(command));
    }

    CommandSpec spec() {
        return spec;
    }

    /** An option with these names ("-p", "--ports"). */
    Arg option(String... names) {
        return new Arg(names);
    }

    /** The positional parameters, all of them under one label. */
    Arg positional(String label) {
        return new Arg(null).label(label);
    }

    /** One option (or the positional parameters) being declared; a binding method ends it and adds it. */
    final class Arg {
        private final String[] names;
        private String label;
        private String description;
        private String defaultValue;
        private String arity;
        private boolean hidden;
        private boolean usageHelp;
        private boolean versionHelp;

        private Arg(String[] names) {
            this.names = names;
        }

        Arg label(String paramLabel) {
            this.label = paramLabel;
            return this;
        }

        Arg about(String text) {
            this.description = text;
            return this;
        }

        Arg defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        Arg arity(String range) {
            this.arity = range;
            return this;
        }

        Arg hidden() {
            this.hidden = true;
            return this;
        }

        Arg usageHelp() {
            this.usageHelp = true;
            return this;
        }

        Arg versionHelp() {
            this.versionHelp = true;
            return this;
        }

        /** A switch: true when given. */
        void flag(Consumer<Boolean> set) {
            arity = "0";
            value(boolean.class, set);
        }

        /** One value of this type (primitive, boxed, enum, String or Path), the last given wins. */
        <T> void value(Class<T> type, Consumer<T> set) {
            add(type, null, null, setter(set));
        }

        /** Repeatable: every value given, in order. The list starts empty. */
        <T> void list(Class<T> element, Supplier<List<T>> get, Consumer<List<T>> set) {
            add(List.class, element, getter(get), setter(set));
        }

        private void add(Class<?> type, Class<?> element, IGetter get, ISetter set) {
            Class<?>[] aux = element == null ? new Class<?>[0] : new Class<?>[] {element};
            String[] text = description == null ? new String[0] : new String[] {description};
            if (names == null) {
                PositionalParamSpec.Builder b = PositionalParamSpec.builder().index("0..*").type(type).auxiliaryTypes(aux)
                        .setter(set).hasInitialValue(false).paramLabel(label).hidden(hidden).defaultValue(defaultValue)
                        .description(text).arity(arity == null ? "0..*" : arity);
                spec.addPositional((get == null ? b : b.getter(get)).build());
                return;
            }
            OptionSpec.Builder b = OptionSpec.builder(names).type(type).auxiliaryTypes(aux).setter(set).hasInitialValue(false)
                    .hidden(hidden).usageHelp(usageHelp).versionHelp(versionHelp).defaultValue(defaultValue).description(text);
            if (label != null) {
                b.paramLabel(label);
            }
            if (arity != null) {
                b.arity(arity);
            }
            spec.addOption((get == null ? b : b.getter(get)).build());
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> ISetter setter(Consumer<V> set) {
        return new ISetter() {
            @Override
            public <T> T set(T value) {
                set.accept((V) value);
                return null;
            }
        };
    }

    private static <V> IGetter getter(Supplier<V> get) {
        return new IGetter() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T get() {
                return (T) get.get();
            }
        };
    }
}
