package org.edgegate.etc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Deletes the configurations whose etc/ file was deleted while the gateway was stopped (the file File Install
 * recorded, or the one {@link EtcWriteBack} recorded in this bundle's data area): File Install sees only
 * deletions it watches, so without this such a configuration came back from Configuration Admin's store at the
 * next start (an endpoint deleted that way took the port of another). It runs as soon as Configuration Admin
 * is registered, before File Install and Declarative Services start (their bundles start after this one), so
 * no component starts from such a configuration even for a moment. Notes for the log wait for
 * {@link EtcWriteBack} (the Log service is not there yet).
 */
public final class DeletedWhileStopped implements BundleActivator {
    private static final Queue<String> NOTES = new ConcurrentLinkedQueue<>();

    private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;

    @Override
    public void start(BundleContext context) {
        tracker = new ServiceTracker<>(context, ConfigurationAdmin.class, null) {
            @Override
            public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> reference) {
                ConfigurationAdmin cm = super.addingService(reference);
                if (cm != null) {
                    sweep(context, cm);
                }
                return cm;
            }
        };
        tracker.open();
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
    }

    static void sweep(BundleContext context, ConfigurationAdmin cm) {
        try {
            EtcFolder folder = EtcFolder.of(context);
            if (folder == null) {
                return;
            }
            StandIns.sweep(cm); // File Install starts afresh: nothing it does now is older than a file
            Properties known = load(record(context));
            Configuration[] all = cm.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                String pid = c.getPid();
                try {
                    Path file = folder.recorded(c.getProperties());
                    String name = known.getProperty(pid);
                    if (file == null && name != null) {
                        file = folder.dir().resolve(name);
                    }
                    if (file != null && !Files.exists(file)) {
                        c.delete();
                        NOTES.add("configuration " + pid + " deleted: its file " + file
                                + " was deleted while the gateway was stopped");
                    }
                } catch (IllegalStateException e) {
                    // deleted meanwhile
                }
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            NOTES.add("cannot look for configurations whose file was deleted while stopped: " + e);
        }
    }

    /** The record of which file each configuration had (in this bundle's data area: the cache, as the store). */
    static Path record(BundleContext context) {
        java.io.File f = context.getDataFile("files.properties");
        return f == null ? null : f.toPath();
    }

    private static Properties load(Path record) throws IOException {
        Properties p = new Properties();
        if (record != null && Files.isRegularFile(record)) {
            try (InputStream in = Files.newInputStream(record)) {
                p.load(in);
            }
        }
        return p;
    }

    /** Writes the record: PID = file name in the watched folder, through a temporary file. */
    static void save(Path record, Map<String, Path> files) throws IOException {
        Properties p = new Properties();
        files.forEach((pid, file) -> p.setProperty(pid, file.getFileName().toString()));
        Path temporary = record.resolveSibling(record.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            p.store(out, "etc/ file of each configuration, for configurations whose file goes while stopped");
        }
        Files.move(temporary, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the sweep did, for the log. */
    static List<String> drain() {
        List<String> notes = new ArrayList<>();
        for (String n; (n = NOTES.poll()) != null; ) {
            notes.add(n);
        }
        return notes;
    }
}
