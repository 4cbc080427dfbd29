package org.edgegate.kernel;

/**
 * Where the kernel writes what a connector does, in the OSGi {@code Logger}'s form: a format whose
 * {@code {}} each take the next argument, a {@code Throwable} last for the cause. Bundles adapt their
 * Logger with a one-liner ({@code ConnectorLog.of(log::info, log::warn, log::debug)}); tests collect
 * lines through {@link #format}. Text from outside (an id, a device's message) goes in an argument, never
 * in the format, so a {@code {}} in it is written as it is.
 */
public interface ConnectorLog {
    /** One level of a log; an OSGi {@code Logger} method such as {@code log::warn} is one. */
    @FunctionalInterface
    interface Level {
        void log(String format, Object... arguments);
    }

    void info(String format, Object... arguments);

    void warn(String format, Object... arguments);

    void debug(String format, Object... arguments);

    /** Writes nowhere. */
    ConnectorLog NONE = of((f, a) -> { }, (f, a) -> { }, (f, a) -> { });

    static ConnectorLog of(Level info, Level warn, Level debug) {
        return new ConnectorLog() {
            @Override
            public void info(String format, Object... arguments) {
                info.log(format, arguments);
            }

            @Override
            public void warn(String format, Object... arguments) {
                warn.log(format, arguments);
            }

            @Override
            public void debug(String format, Object... arguments) {
                debug.log(format, arguments);
            }
        };
    }

    /**
     * The message the OSGi {@code Logger} writes for a format and its arguments: each {@code {}} takes the
     * next argument ({@code \{}} stays a literal {@code {}}); a {@code Throwable} left over at the end is the
     * cause, returned by {@link #cause}, not part of the text.
     */
    static String format(String format, Object... arguments) {
        StringBuilder out = new StringBuilder(format.length() + 16 * arguments.length);
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '\\' && format.startsWith("{}", i + 1)) {
                out.append("{}");
                i += 2;
            } else if (c == '{' && format.startsWith("}", i + 1) && next < arguments.length) {
                out.append(arguments[next++]);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The cause among a log call's arguments: the last one when it is a {@code Throwable}, else null. */
    static Throwable cause(Object... arguments) {
        return arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable t ? t : null;
    }
}
