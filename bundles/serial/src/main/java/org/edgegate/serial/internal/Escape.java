package org.edgegate.serial.internal;

/** Makes raw device text safe to print: control and non-printable characters as escapes, length capped. */
final class Escape {
    static final int MAX = 200;

    private Escape() {
    }

    static String of(String raw) {
        StringBuilder b = new StringBuilder(Math.min(raw.length(), MAX) + 8);
        for (int i = 0; i < raw.length(); i++) {
            if (b.length() >= MAX) {
                return b.append("...(").append(raw.length()).append(" chars)").toString();
            }
            char c = raw.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd') {
                        b.append(c == '\ufffd' ? "\\ufffd" : String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
