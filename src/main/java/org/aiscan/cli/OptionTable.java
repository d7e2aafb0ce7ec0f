package org.aiscan.cli;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The one way every aiscan command declares its options: in code, through this table, not by
 * picocli annotations. For an annotated command picocli reads every annotation by reflection, and
 * the JVM makes a proxy class per annotation type and a method handle per attribute at run time, none
 * of which a start-up cache can hold: measured on 2 cores with the AOT cache, the annotated scan
 * command took about 90 ms from main to a parsed command line, this table about 25 ms (README,
 * Benchmarks: W1 is decided by start-up). Every command is declared the same way so that no command
 * pays for reflection and a reader meets one idiom.
 *
 * <p>Each option binds straight to its command's field through a setter; picocli's parser, help,
 * defaults ({@code ${DEFAULT-VALUE}}), type conversion, {@code split} and required-option checks
 * are picocli's own, as they would be for annotations.
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

    /** A command that only holds subcommands (and options they inherit). */
    static OptionTable root(String name) {
        return new OptionTable(CommandSpec.create().name(name));
    }

    /**
     * A command named {@code name} run by {@code command}, with {@code -h, --help} and {@code -V,
     * --version} (aiscan's version), its help as wide as the terminal and its options sorted by name.
     */
    static OptionTable command(Object command, String name) {
        OptionTable t = of(command);
        t.spec.name(name).versionProvider(new VersionProvider()).usageMessage().autoWidth(true);
        t.option("-h", "--help").usageHelp().about("Show this help message and exit.").flag(v -> { });
        t.option("-V", "--version").versionHelp().about("Print version information and exit.").flag(v -> { });
        return t;
    }

    CommandSpec spec() {
        return spec;
    }

    /** The help's description, a line each. */
    OptionTable description(String... lines) {
        spec.usageMessage().description(lines);
        return this;
    }

    /** The help's footer, a line each. */
    OptionTable footer(String... lines) {
        spec.usageMessage().footer(lines);
        return this;
    }

    /** The finished command line. */
    CommandLine commandLine() {
        return new CommandLine(spec);
    }

    /** An option with these names ("-p", "--ports"). */
    Arg option(String... names) {
        return new Arg(names);
    }

    /** The positional parameters, all of them under one label (a {@link Arg#list}), or the one at {@link Arg#index}. */
    Arg positional(String label) {
        return new Arg(null).label(label);
    }

    /** One option (or the positional parameters) being declared; a binding method ends it and adds it. */
    final class Arg {
        private final String @Nullable [] names;
        private @Nullable String label;
        private @Nullable String description;
        private @Nullable String defaultValue;
        private @Nullable String arity;
        private @Nullable String index;
        private @Nullable String split;
        private boolean required;
        private boolean inherited;
        private boolean hidden;
        private boolean usageHelp;
        private boolean versionHelp;

        private Arg(String @Nullable [] names) {
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

        /** A positional parameter's place: "0", "1". */
        Arg index(String range) {
            this.index = range;
            return this;
        }

        /** Each value is split at this regular expression (",": {@code --trusted A,B}). */
        Arg split(String regex) {
            this.split = regex;
            return this;
        }

        /** picocli says "Missing required option" (exit 2) when it is not given. */
        Arg required() {
            this.required = true;
            return this;
        }

        /** Given to every subcommand too ({@code --stacktrace}). */
        Arg inherited() {
            this.inherited = true;
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

        /** One value of this type (primitive, boxed, enum, String or Path); given twice, a usage error. */
        <T> void value(Class<T> type, Consumer<T> set) {
            add(type, null, null, setter(set));
        }

        /** Repeatable: every value given, in order. The list starts empty. */
        <T> void list(Class<T> element, Supplier<List<T>> get, Consumer<List<T>> set) {
            add(List.class, element, getter(get), setter(set));
        }

        private void add(Class<?> type, @Nullable Class<?> element, @Nullable IGetter get, ISetter set) {
            Class<?>[] aux = element == null ? new Class<?>[0] : new Class<?>[] {element};
            String[] text = description == null ? new String[0] : new String[] {description};
            if (names == null) {
                String all = element == null ? "1" : "0..*";
                CommandLine.Range range = CommandLine.Range.valueOf(arity == null ? all : arity);
                PositionalParamSpec.Builder b = PositionalParamSpec.builder().index(index == null ? (element == null ? "0" : all) : index)
                        .type(type).auxiliaryTypes(aux).setter(set).hasInitialValue(false).paramLabel(label).hidden(hidden)
                        .defaultValue(defaultValue).description(text).arity(range).required(range.min() > 0);
                spec.addPositional((get == null ? b : b.getter(get)).build());
                return;
            }
            OptionSpec.Builder b = OptionSpec.builder(names).type(type).auxiliaryTypes(aux).setter(set).hasInitialValue(false)
                    .hidden(hidden).usageHelp(usageHelp).versionHelp(versionHelp).defaultValue(defaultValue).description(text)
                    .required(required);
            if (inherited) {
                b.scopeType(CommandLine.ScopeType.INHERIT);
            }
            if (split != null) {
                b.splitRegex(split);
            }
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
            public <T> @Nullable T set(T value) {
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
