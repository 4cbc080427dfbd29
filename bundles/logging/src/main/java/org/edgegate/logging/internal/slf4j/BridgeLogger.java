package org.edgegate.logging.internal.slf4j;

import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger writing to the OSGi Log service under the same logger name, so SLF4J output
 * (Jetty, the Web Console) obeys the OSGi log levels and lands in the EdgeGate log. Before the Log
 * service is there (early start, shutdown), warnings and errors go to standard error.
 */
final class BridgeLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final AtomicReference<LoggerFactory> FACTORY = new AtomicReference<>();

    private transient volatile LoggerFactory boundTo;
    private transient volatile Logger target;

    BridgeLogger(String name) {
        this.name = name;
    }

    static void bind(LoggerFactory factory) {
        FACTORY.set(factory);
    }

    static void unbind(LoggerFactory factory) {
        FACTORY.compareAndSet(factory, null);
    }

    private Logger target() {
        LoggerFactory factory = FACTORY.get();
        if (factory == null) {
            return null;
        }
        if (factory != boundTo) {
            target = factory.getLogger(name);
            boundTo = factory;
        }
        return target;
    }

    @Override
    public boolean isTraceEnabled() {
        Logger l = target();
        return l != null && l.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        Logger l = target();
        return l != null && l.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        Logger l = target();
        return l != null && l.isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        Logger l = target();
        return l == null || l.isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        Logger l = target();
        return l == null || l.isErrorEnabled();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        Logger l = target();
        if (l == null) {
            if (level.toInt() >= Level.WARN.toInt()) {
                System.err.println(level + " " + name + ": " + message);
                if (throwable != null) {
                    throwable.printStackTrace();
                }
            }
            return;
        }
        // "{}" with the message as its argument: the OSGi Logger must not re-read braces in the text.
        Object[] args = throwable == null ? new Object[] {message} : new Object[] {message, throwable};
        switch (level) {
            case ERROR -> l.error("{}", args);
            case WARN -> l.warn("{}", args);
            case INFO -> l.info("{}", args);
            case DEBUG -> l.debug("{}", args);
            default -> l.trace("{}", args);
        }
    }
}
