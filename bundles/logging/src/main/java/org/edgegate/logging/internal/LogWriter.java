package org.edgegate.logging.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.edgegate.config.GatewayPaths;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Writes the entries of the OSGi Log service to the console and to a size-rotated file, those at or
 * above the level configured for their logger (PID {@code org.osgi.service.log.admin}). Loggers
 * already obey those levels; the framework's own bundle and service events do not, hence the check.
 */
// Not a LogListener service: it registers itself with the LogReaderService, once.
@Component(configurationPid = LogWriter.PID, immediate = true, service = {})
@Designate(ocd = LogWriter.Config.class)
public class LogWriter implements LogListener {
    static final String PID = "org.edgegate.logging";
    /**
     * Set once per JVM: the Log service's history is replayed only on the first activation, so that
     * an update of this bundle does not write the same entries twice.
     */
    private static final String REPLAYED = "org.edgegate.logging.replayed";

    @ObjectClassDefinition(name = "EdgeGate logging",
            description = "Where log entries are written. Log levels are set in the PID "
                    + "org.osgi.service.log.admin (e.g. ROOT=INFO, org.eclipse.jetty=WARN).")
    public @interface Config {
        @AttributeDefinition(name = "Log file",
                description = "Path of the log file; a relative path is resolved against the data "
                        + "folder (edgegate.data). Empty: no file.")
        String file() default "log/edgegate.log";

        @AttributeDefinition(name = "Maximum file size (KiB)",
                description = "The file is rotated when it would grow past this size.", min = "1")
        int maxSizeKiB() default 10240;

        @AttributeDefinition(name = "Rotated files kept",
                description = "How many rotated files (edgegate.log.1, .2, ...) are kept.", min = "0")
        int filesKept() default 5;

        @AttributeDefinition(name = "Console",
                description = "Also write entries to standard output (the journal under systemd).")
        boolean console() default true;

        @AttributeDefinition(name = "Console level",
                description = "Least severe level written to the console (TRACE, DEBUG, INFO, WARN, ERROR). "
                        + "Empty: the framework property edgegate.log.console.level (bin/edgegate sets WARN "
                        + "on a terminal, so the prompt stays readable), else every entry the log levels let through.")
        String consoleLevel() default "";
    }

    /** Framework property: the console level when the configuration does not set one. */
    static final String CONSOLE_LEVEL_PROPERTY = "edgegate.log.console.level";

    @Reference
    private LogReaderService reader;

    @Reference
    private LoggerAdmin levels;

    private final PrintStream console = System.out;
    private volatile boolean toConsole;
    private volatile LogLevel consoleLevel = LogLevel.TRACE;
    private volatile RollingFile file;
    private volatile boolean fileFailed;

    @Activate
    void activate(BundleContext context, Config config) {
        configure(context, config);
        if (System.getProperty(REPLAYED) == null) {
            System.setProperty(REPLAYED, "true");
            List<LogEntry> history = new ArrayList<>();
            for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements(); ) {
                history.add(e.nextElement());
            }
            Collections.reverse(history); // getLog() is newest first
            // What happened before we listened, but only what matters: the levels are not configured yet.
            history.stream().filter(e -> LogLevel.WARN.implies(e.getLogLevel())).forEach(this::logged);
        }
        reader.addLogListener(this);
    }

    @Modified
    void modified(BundleContext context, Config config) {
        configure(context, config);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
        closeFile();
    }

    private boolean wanted(LogEntry entry) {
        String bundle = entry.getBundle() == null ? null : entry.getBundle().getSymbolicName();
        // A bundle without a context of its own gets the root context's levels.
        LogLevel threshold = levels.getLoggerContext(bundle).getEffectiveLogLevel(entry.getLoggerName());
        return threshold.implies(entry.getLogLevel());
    }

    private synchronized void configure(BundleContext context, Config config) {
        closeFile();
        toConsole = config.console();
        consoleLevel = level(config.consoleLevel(), context.getProperty(CONSOLE_LEVEL_PROPERTY));
        fileFailed = false;
        String name = config.file().trim();
        if (!name.isEmpty()) {
            Path path = GatewayPaths.data(context::getProperty).resolve(name);
            file = new RollingFile(path, Math.max(1, config.maxSizeKiB()) * 1024L, Math.max(0, config.filesKept()));
        }
    }

    /** The first of the given level names that is set, TRACE (everything) when none is. */
    static LogLevel level(String... names) {
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                try {
                    return LogLevel.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    System.out.println("edgegate-logging: unknown console level '" + name + "', ignored");
                }
            }
        }
        return LogLevel.TRACE;
    }

    private synchronized void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                console.println("edgegate-logging: cannot close " + file.path() + ": " + e);
            }
            file = null;
        }
    }

    @Override
    public void logged(LogEntry entry) {
        if (!wanted(entry)) {
            return;
        }
        String text = LogFormat.format(entry);
        if (toConsole && consoleLevel.implies(entry.getLogLevel())) {
            console.print(text);
        }
        RollingFile target = file;
        if (target != null) {
            try {
                target.write(text);
                fileFailed = false;
            } catch (IOException e) {
                // Said once per failure streak, on the console: the log file is what failed.
                if (!fileFailed) {
                    fileFailed = true;
                    console.println("edgegate-logging: cannot write " + target.path() + ": " + e);
                }
            }
        }
    }
}
