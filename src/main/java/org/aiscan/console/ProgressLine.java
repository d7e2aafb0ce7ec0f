package org.aiscan.console;

import java.util.Locale;
import org.aiscan.probe.ScanProgress;

/** Formats the progress of a scan as one line: done %, counts, rate, open found, ETA. */
public final class ProgressLine {
    private double lastTime = -1;
    private long lastSent;
    private double rate;

    /** Builds the line; keeps a smoothed send rate between calls. */
    public synchronized String format(ScanProgress p) {
        double t = p.elapsedSeconds();
        long sent = p.sentCount();
        if (lastTime < 0) {
            rate = t > 0 ? sent / t : 0;
        } else if (t - lastTime >= 0.2) {
            double inst = (sent - lastSent) / (t - lastTime);
            rate = rate == 0 ? inst : 0.6 * rate + 0.4 * inst;
        } else {
            return build(p, t);
        }
        lastTime = t;
        lastSent = sent;
        return build(p, t);
    }

    private String build(ScanProgress p, double t) {
        long total = Math.max(1, p.total());
        long done = p.doneCount();
        double pct = 100.0 * done / total;
        String eta;
        if (done == 0 || done >= total) {
            eta = "-";
        } else {
            eta = clock((long) (t / done * (total - done)));
        }
        return String.format(Locale.ROOT, "%5.1f%%  %,d/%,d probes  %,.0f pps  %,d open  %s elapsed  ETA %s",
                pct, done, p.total(), rate, p.openCount(), clock((long) t), eta);
    }

    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
