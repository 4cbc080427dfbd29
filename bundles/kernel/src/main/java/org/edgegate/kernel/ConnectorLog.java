package org.edgegate.kernel;

/**
 * Where the kernel writes what a connector does. Bundles adapt their OSGi {@code Logger} to it with a
 * one-liner ({@code ConnectorLog.of(log::info, log::warn, log::debug)}); tests collect lines.
 */
public interface ConnectorLog {
    void info(String message);

    void warn(String message);

    void debug(String message);

    /** A warning with its cause; adapters that keep stack traces override this. */
    default void warn(String message, Throwable cause) {
        warn(message + ": " + cause);
    }

    /** Writes nowhere. */
    ConnectorLog NONE = of(m -> { }, m -> { }, m -> { });

    static ConnectorLog of(java.util.function.Consumer<String> info, java.util.function.Consumer<String> warn,
            java.util.function.Consumer<String> debug) {
        return new ConnectorLog() {
            @Override
            public void info(String message) {
                info.accept(message);
            }

            @Override
            public void warn(String message) {
                warn.accept(message);
            }

            @Override
            public void debug(String message) {
                debug.accept(message);
            }
        };
    }
}
