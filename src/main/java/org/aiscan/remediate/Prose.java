package org.aiscan.remediate;

import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.MultiTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.core.PlainTextOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.aiscan.home.AiscanHome;

/**
 * The bundle's prose and fixed-shape files as FreeMarker templates ({@code
 * report-templates/remediation/*.ftl}), from the aiscan home folder first, then the jar. Plain
 * text: values reach a template already made safe by the emitter (typed, or through
 * {@link Planner#safe}/{@link Planner#md}). Numbers print as digits only (no grouping).
 */
final class Prose {
    private static final Configuration CFG = configuration();

    private Prose() {
    }

    private static Configuration configuration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        List<TemplateLoader> loaders = new ArrayList<>();
        if (AiscanHome.home().isPresent() && Files.isDirectory(AiscanHome.home().get().resolve("report-templates/remediation"))) {
            Path dir = AiscanHome.home().get().resolve("report-templates/remediation");
            try {
                loaders.add(new FileTemplateLoader(dir.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        loaders.add(new ClassTemplateLoader(Prose.class, "/aiscan-data/report-templates/remediation"));
        cfg.setTemplateLoader(new MultiTemplateLoader(loaders.toArray(TemplateLoader[]::new)));
        cfg.setOutputFormat(PlainTextOutputFormat.INSTANCE);
        cfg.setDefaultEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setNumberFormat("computer");
        cfg.setBooleanFormat("c");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        return cfg;
    }

    /** Renders template {@code name}; a broken template is a runtime failure naming it. */
    static String render(String name, Map<String, ?> model) {
        try {
            StringWriter w = new StringWriter();
            CFG.getTemplate(name).process(model, w);
            return w.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("remediation template " + name + ": " + e.getMessage(), e);
        } catch (TemplateException e) {
            throw new IllegalStateException("remediation template " + name + ": " + e.getMessageWithoutStackTop(), e);
        }
    }
}
