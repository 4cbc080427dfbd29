package org.edgegate.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small text helpers of the commands and pages: ages, shortened strings, aligned tables. */
public final class Text {
    private Text() {
    }

    /** {@code 4.2 s ago}, {@code 12 min ago}, {@code 3 h ago}, {@code 2 d ago}. */
    public static String ago(Duration d) {
        return age(d) + " ago";
    }

    /** {@code 4.2 s}, {@code 12 min}, {@code 3 h}, {@code 2 d}: a duration in its largest fitting unit. */
    public static String age(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        } else if (ms < 3_600_000) {
            return (ms / 60_000) + " min";
        } else if (ms < 48 * 3_600_000L) {
            return (ms / 3_600_000) + " h";
        }
        return (ms / 86_400_000) + " d";
    }

    /** The string, cut to {@code max} characters with {@code ...} at the end when longer. */
    public static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
    }

    /**
     * A table with columns as wide as their widest cell, two spaces apart; a column whose header starts
     * with {@code >} is right-aligned (the {@code >} is not printed). Rows may carry fewer cells.
     */
    public static final class Table {
        private final List<String> headers = new ArrayList<>();
        private final List<Boolean> right = new ArrayList<>();
        private final List<Object> rows = new ArrayList<>();

        public Table(String... headers) {
            for (String h : headers) {
                boolean r = h.startsWith(">");
                this.headers.add(r ? h.substring(1) : h);
                this.right.add(r);
            }
        }

        public Table row(Object... cells) {
            String[] text = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                text[i] = String.valueOf(cells[i]);
            }
            rows.add(text);
            return this;
        }

        /** A line printed as it is under the row before (a detail), not aligned. */
        public Table note(String line) {
            rows.add(line);
            return this;
        }

        @Override
        public String toString() {
            int[] width = new int[headers.size()];
            for (int i = 0; i < width.length; i++) {
                width[i] = headers.get(i).length();
            }
            for (Object r : rows) {
                if (r instanceof String[] cells) {
                    for (int i = 0; i < cells.length && i < width.length; i++) {
                        width[i] = Math.max(width[i], cells[i].length());
                    }
                }
            }
            StringBuilder b = new StringBuilder();
            line(b, headers.toArray(String[]::new), width);
            for (Object r : rows) {
                if (r instanceof String[] cells) {
                    line(b, cells, width);
                } else {
                    b.append(r).append(System.lineSeparator());
                }
            }
            return b.toString();
        }

        private void line(StringBuilder b, String[] cells, int[] width) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < cells.length && i < width.length; i++) {
                String c = cells[i];
                String pad = " ".repeat(width[i] - c.length());
                l.append(i == 0 ? "" : "  ").append(right.get(i) ? pad + c : (i == cells.length - 1 ? c : c + pad));
            }
            b.append(l.toString().stripTrailing()).append(System.lineSeparator());
        }
    }
}
