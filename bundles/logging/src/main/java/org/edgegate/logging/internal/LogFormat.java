package org.edgegate.logging.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

/** One line per entry (plus the stack trace of its exception, if any). */
final class LogFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private LogFormat() {
    }

    static String format(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String source = bundle == null ? "?" : bundle.getSymbolicName() == null
                ? "#" + bundle.getBundleId() : bundle.getSymbolicName();
        return format(entry.getTime(), entry.getLogLevel().name(), source, entry.getLoggerName(),
                entry.getThreadInfo(), entry.getMessage(), entry.getException());
    }

    static String format(long time, String level, String bundle, String logger, String thread,
            String message, Throwable exception) {
        StringBuilder line = new StringBuilder(128)
                .append(TIME.format(Instant.ofEpochMilli(time)))
                .append(' ').append(String.format("%-5s", level))
                .append(" [").append(bundle).append("] ");
        if (logger != null && !logger.isEmpty()) {
            line.append(logger).append(": ");
        }
        line.append(message);
        if (thread != null && !thread.isEmpty()) {
            line.append(" {").append(thread).append('}');
        }
        line.append(System.lineSeparator());
        if (exception != null) {
            StringWriter trace = new StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}
