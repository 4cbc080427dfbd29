package org.edgegate.etc.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Writes a configuration changed from the Web Console, Gogo or Configuration Admin back to its {@code etc/}
 * file, makes a file for a configuration that has none (one the Web Console or a bundle created), and deletes
 * the file with the configuration. File Install can write back itself ({@code felix.fileinstall.enableConfigSave}),
 * but it truncates the file and writes it in place, on every update, even one it made itself from the file: its
 * watcher, polling every second, can read the file in between and apply an empty configuration, which is then
 * written back, and the file's content is gone (seen at start-up, where every configuration File Install makes
 * is written back at once); and it writes only configurations that still carry its
 * {@code felix.fileinstall.filename}, which the Web Console's Save drops. So the runtime turns File Install's
 * write-back off, and this one writes only what changed, atomically, and puts the file's name back on the
 * configuration before writing (File Install finds a configuration by it). Where File Install's own write-back
 * is on (Apache Karaf's default), this one does nothing.
 */
@Component(immediate = true)
public class EtcWriteBack implements ConfigurationListener {
    /** Kept by Configuration Admin, not properties of the configuration's own. */
    private static final Set<String> ADMIN = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final Map<String, Path> fileOfPid = new ConcurrentHashMap<>();
    private EtcFolder folder;
    private CfgSync sync;

    @Activate
    void activate(BundleContext context) {
        for (String note : DeletedWhileStopped.drain()) {
            log.warn("etc write-back: {}", note); // WARN: INFO this early is not kept for the log file
        }
        try {
            folder = EtcFolder.of(context);
        } catch (IOException e) {
            log.warn("etc write-back: off, the folder {} cannot be read: {}", context.getProperty(EtcFolder.DIR),
                    e.toString());
            return;
        }
        if (folder == null) {
            log.info("etc write-back: off ({}={}, {}={})", EtcFolder.ENABLE_CONFIG_SAVE,
                    context.getProperty(EtcFolder.ENABLE_CONFIG_SAVE), EtcFolder.DIR, context.getProperty(EtcFolder.DIR));
            return;
        }
        sync = new CfgSync(folder.cfg());
        List<String> withoutFile = new ArrayList<>();
        try {
            Configuration[] all = configurationAdmin.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Path file = target(c.getPid(), c.getFactoryPid(), c.getProperties());
                if (file != null && Files.isRegularFile(file)) {
                    fileOfPid.put(c.getPid(), file);
                    sync.known(c.getPid(), file);
                } else if (file != null && folder.recorded(c.getProperties()) == null) {
                    withoutFile.add(c.getPid()); // (a recorded file that is gone: File Install deletes it)
                }
            }
            // Made while this bundle was not running (by a bundle that started first): given their file now.
            for (String pid : withoutFile) {
                updated(pid);
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            log.warn("etc write-back: cannot list the configurations: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (sync == null) {
            return;
        }
        try {
            if (event.getType() == ConfigurationEvent.CM_UPDATED) {
                updated(event.getPid());
            } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
                Path file = fileOfPid.remove(event.getPid());
                sync.forget(event.getPid());
                if (file != null && Files.deleteIfExists(file)) {
                    log.info("etc write-back: configuration {} deleted, and its file {}", event.getPid(), file);
                }
            }
        } catch (IllegalStateException e) {
            log.debug("etc write-back: configuration {} deleted meanwhile", event.getPid());
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            log.error("etc write-back: configuration " + event.getPid() + " not written to its file: " + e, e);
        }
    }

    private void updated(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        if (found == null || found.length == 0) {
            return;
        }
        Configuration configuration = found[0];
        Dictionary<String, Object> properties = configuration.getProperties();
        Path file = target(pid, configuration.getFactoryPid(), properties);
        if (file == null) {
            log.debug("etc write-back: configuration {} has no file in {}", pid, folder.dir());
            return;
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            log.warn("etc write-back: {} is not writable; configuration {} changed only until a restart", file, pid);
            return;
        }
        fileOfPid.put(pid, file);
        switch (sync.updated(pid, file, map(properties), view -> align(configuration, file, view))) {
            case WRITTEN -> log.info("etc write-back: configuration {} written to {}", pid, file);
            case CREATED -> log.info("etc write-back: configuration {} written to a new file {}", pid, file);
            case FILE_NEWER -> log.info("etc write-back: configuration {} not written: {} was edited since; File "
                    + "Install applies the file", pid, file);
            case IN_SYNC -> { }
        }
    }

    /** The configuration's file in the watched folder, or null when it has none there (nor can have). */
    private Path target(String pid, String factoryPid, Dictionary<String, Object> properties) {
        Path recorded = folder.recorded(properties);
        if (recorded != null) {
            return recorded;
        }
        if (folder.recordedElsewhere(properties)) {
            return null; // another watcher's, or the original's of a copied installation: never ours to write
        }
        Path known = fileOfPid.get(pid);
        if (known != null) {
            return known;
        }
        Path named = folder.named(pid, factoryPid);
        if (named != null || factoryPid == null) {
            return named;
        }
        return folder.fresh(pid, factoryPid, properties == null ? null : properties.get("id"));
    }

    /**
     * Makes the configuration hold what File Install reads from its file, and the file's name: then File
     * Install, polling, finds it by the file and sees nothing to change, and after a restart it is the same.
     */
    private void align(Configuration configuration, Path file, Map<String, Object> fileView) throws IOException {
        Map<String, Object> wanted = new HashMap<>(fileView);
        wanted.put(EtcFolder.FILENAME, EtcFolder.key(file));
        Map<String, Object> now = map(configuration.getProperties());
        now.keySet().removeAll(ADMIN);
        if (!equal(now, wanted)) {
            configuration.updateIfDifferent(new Hashtable<>(wanted));
        }
    }

    private static boolean equal(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> map(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }
}
