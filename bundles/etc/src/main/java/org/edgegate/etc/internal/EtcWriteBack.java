package org.edgegate.etc.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.TypedProperties;
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
 * Writes a configuration changed from the Web Console, Gogo or Configuration Admin back to the {@code etc/}
 * file it came from, and deletes the file with the configuration. File Install can do this itself
 * ({@code felix.fileinstall.enableConfigSave}), but it truncates the file and writes it in place, on every
 * update, even one it made itself from the file: its watcher, polling every second, can read the file in
 * between and apply an empty configuration, which is then written back, and the file's content is gone
 * (seen at start-up, where every configuration File Install makes is written back at once). So the runtime
 * turns File Install's write-back off, and this one writes only what changed, atomically. Where File
 * Install's own write-back is on (Apache Karaf's default), this one does nothing.
 */
@Component(immediate = true)
public class EtcWriteBack implements ConfigurationListener {
    static final String FILENAME = "felix.fileinstall.filename";
    static final String ENABLE_CONFIG_SAVE = "felix.fileinstall.enableConfigSave";
    static final String CONFIG_ENCODING = "felix.fileinstall.configEncoding";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private final Map<String, Path> fileOfPid = new ConcurrentHashMap<>();
    private CfgSync sync;
    private boolean active;

    @Activate
    void activate(BundleContext context) {
        active = "false".equalsIgnoreCase(String.valueOf(context.getProperty(ENABLE_CONFIG_SAVE)).trim());
        if (!active) {
            log.info("etc write-back: File Install writes configurations back itself ({}={})", ENABLE_CONFIG_SAVE,
                    context.getProperty(ENABLE_CONFIG_SAVE));
            return;
        }
        InterpolationHelper.SubstitutionCallback framework =
                new InterpolationHelper.BundleContextSubstitutionCallback(context);
        TypedProperties.SubstitutionCallback substitution = (name, key, variable) -> framework.getValue(variable);
        String encoding = context.getProperty(CONFIG_ENCODING);
        sync = new CfgSync(substitution, Charset.forName(encoding == null ? "ISO-8859-1" : encoding)); // File Install's default
        try {
            Configuration[] all = configurationAdmin.listConfigurations("(" + FILENAME + "=*)");
            for (Configuration c : all == null ? new Configuration[0] : all) {
                Path file = file(c.getProperties());
                if (file != null && Files.isRegularFile(file)) {
                    fileOfPid.put(c.getPid(), file);
                    sync.known(c.getPid(), file);
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            log.warn("etc write-back: cannot list the configurations made from files: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!active) {
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
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            log.error("etc write-back: configuration " + event.getPid() + " not written to its file: " + e, e);
        }
    }

    private void updated(String pid) throws IOException, InvalidSyntaxException {
        Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
        if (found == null || found.length == 0) {
            return;
        }
        Dictionary<String, Object> properties = found[0].getProperties();
        Path file = file(properties);
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        fileOfPid.put(pid, file);
        if (!Files.isWritable(file)) {
            log.warn("etc write-back: {} is not writable; configuration {} changed only until a restart", file, pid);
            return;
        }
        switch (sync.updated(pid, file, map(properties))) {
            case WRITTEN -> log.info("etc write-back: configuration {} written to {}", pid, file);
            case FILE_NEWER -> log.info("etc write-back: configuration {} not written: {} was edited since; File "
                    + "Install applies the file", pid, file);
            case IN_SYNC -> { }
        }
    }

    private static Map<String, Object> map(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }

    private static Path file(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get(FILENAME);
        if (name == null) {
            return null;
        }
        try {
            return Path.of(URI.create(name.toString()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
