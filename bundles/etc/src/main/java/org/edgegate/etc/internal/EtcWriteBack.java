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
import org.osgi.service.cm.SynchronousConfigurationListener;
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
 * is on (Apache Karaf's default), this one does nothing. A synchronous listener: the file is made or deleted
 * within the update or delete that caused it, so File Install's watcher never sees a configuration whose file
 * is not there yet (it would delete it by name) or a file whose configuration is gone. A file it deletes gets
 * a stand-in first ({@link StandIns}): what File Install still does about the file's older state is done to
 * the stand-in, never to a configuration made again under the same name.
 */
@Component(immediate = true)
public class EtcWriteBack implements SynchronousConfigurationListener {
    /** Kept by Configuration Admin, not properties of the configuration's own. */
    private static final Set<String> ADMIN = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final Map<String, Path> fileOfPid = new ConcurrentHashMap<>();
    private EtcFolder folder;
    private CfgSync sync;
    private StandIns standIns;
    private Path record;

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
        standIns = new StandIns(configurationAdmin, folder.cfg());
        record = DeletedWhileStopped.record(context);
        List<String> withoutFile = new ArrayList<>();
        try {
            Configuration[] all = configurationAdmin.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                if (StandIns.is(c.getFactoryPid())) {
                    continue;
                }
                Path file = target(c.getPid(), c.getFactoryPid(), c.getProperties());
                if (file != null && Files.isRegularFile(file)) {
                    remember(c.getPid(), file);
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
    public synchronized void configurationEvent(ConfigurationEvent event) { // one at a time: callers' threads
        if (sync == null) {
            return;
        }
        try {
            if (StandIns.is(event.getFactoryPid())) {
                String owner = event.getType() == ConfigurationEvent.CM_UPDATED ? standIns.handOver(event.getPid()) : null;
                if (owner != null) {
                    log.info("etc write-back: File Install reads the file of {} again; its stand-in {} is deleted",
                            owner, event.getPid());
                }
            } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
                updated(event.getPid());
            } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
                deleted(event.getPid());
            }
        } catch (IllegalStateException e) {
            log.debug("etc write-back: configuration {} deleted meanwhile", event.getPid());
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            log.error("etc write-back: configuration {} not written to its file: {}", event.getPid(), e.toString(), e);
        }
    }

    private void deleted(String pid) throws IOException, InvalidSyntaxException {
        Path file = fileOfPid.get(pid);
        remember(pid, null);
        sync.forget(pid);
        if (file == null || !Files.exists(file)) {
            return;
        }
        if (fileInstallThread()) {
            // File Install deletes a configuration when a scan saw its file gone (its watcher thread is
            // "fileinstall-<dir>"); the file there now is a newer one: it stays, File Install reads it next.
            log.info("etc write-back: File Install deleted configuration {} after a scan older than its file {}: "
                    + "the file stays, File Install makes the configuration again", pid, file);
            return;
        }
        standIns.expire(System.currentTimeMillis()); // those of files File Install never saw, made before
        standIns.reserve(file);
        if (Files.deleteIfExists(file)) {
            log.info("etc write-back: configuration {} deleted, and its file {}", pid, file);
        }
        for (Configuration made : standIns.madeFrom(file)) {
            // File Install read the file before it went, and made the configuration again from that text
            made.delete();
            log.info("etc write-back: configuration {} made again by File Install from {} as it was before its "
                    + "deletion: deleted again", made.getPid(), file);
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
        if (!Files.exists(file) && folder.recorded(properties) != null) {
            // Its file went (File Install deletes the configuration at its next poll), or File Install made it
            // again from a file that was being deleted: never bring the file back. Where the file has a stand-in,
            // File Install's deletion goes to the stand-in: this configuration goes now.
            if (standIns.reserved(file)) {
                configuration.delete();
                log.info("etc write-back: configuration {} made again by File Install from {} as it was before "
                        + "its deletion: deleted again", pid, file);
            }
            return;
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            log.warn("etc write-back: {} is not writable; configuration {} changed only until a restart", file, pid);
            return;
        }
        remember(pid, file);
        switch (sync.updated(pid, file, map(properties), fileInstallThread(), view -> align(configuration, file))) {
            case WRITTEN -> log.info("etc write-back: configuration {} written to {}", pid, file);
            case CREATED -> log.info("etc write-back: configuration {} written to a new file {}", pid, file);
            case FILE_NEWER -> log.info("etc write-back: configuration {} not written: {} was edited since; File "
                    + "Install applies the file", pid, file);
            case READ_BEFORE -> log.debug("etc write-back: configuration {} made by File Install from {} as it "
                    + "was before its last change: not written; File Install reads the file again", pid, file);
            case IN_SYNC -> { }
        }
    }

    /** File Install's watcher (thread "fileinstall-<dir>") applies files: an update or deletion on it is one. */
    private static boolean fileInstallThread() {
        return Thread.currentThread().getName().startsWith("fileinstall-");
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
        return folder.fresh(pid, factoryPid, properties == null ? null : properties.get("id"), this::taken);
    }

    /** A file name File Install may still connect with an older configuration: never given to a new one. */
    private boolean taken(Path file) {
        try {
            return Files.exists(file) || standIns.reserved(file);
        } catch (IOException | InvalidSyntaxException e) {
            return true;
        }
    }

    /**
     * A configuration whose PID does not name its file (the Web Console makes factory configurations with
     * generated PIDs) gets the file's name before the file is written: File Install finds a configuration by
     * it, and would otherwise make a second one from the file. Others are left alone: every update restarts
     * the components, and File Install finds them by their PID.
     */
    private void align(Configuration configuration, Path file) throws IOException {
        if (folder.named(configuration.getPid(), configuration.getFactoryPid()) != null) {
            return;
        }
        Dictionary<String, Object> properties = configuration.getProperties();
        String key = EtcFolder.key(file);
        if (properties != null && !key.equals(properties.get(EtcFolder.FILENAME))) {
            Hashtable<String, Object> wanted = new Hashtable<>(map(properties));
            wanted.keySet().removeAll(ADMIN);
            wanted.put(EtcFolder.FILENAME, key);
            configuration.updateIfDifferent(wanted);
        }
    }

    /** Remembers which file each configuration has, for the next start (see {@link DeletedWhileStopped}). */
    private void remember(String pid, Path file) {
        Path old = file == null ? fileOfPid.remove(pid) : fileOfPid.put(pid, file);
        if (record != null && !Objects.equals(old, file)) {
            try {
                DeletedWhileStopped.save(record, fileOfPid);
            } catch (IOException e) {
                log.warn("etc write-back: cannot record the configurations' files in {}: {}", record, e.toString());
            }
        }
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
