package org.edgegate.etc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Deletes the configurations whose etc/ file was deleted while the gateway was stopped: File Install sees only
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
            Configuration[] all = cm.listConfigurations("(" + EtcFolder.FILENAME + "=*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                String pid = c.getPid();
                try {
                    Path file = folder.recorded(c.getProperties());
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

    /** What the sweep did, for the log. */
    static List<String> drain() {
        List<String> notes = new ArrayList<>();
        for (String n; (n = NOTES.poll()) != null; ) {
            notes.add(n);
        }
        return notes;
    }
}
