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

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Stand-ins for the files the write-back deletes. File Install finds the configuration of a file by the
 * {@code felix.fileinstall.filename} it recorded on it, and failing that by the PID the file's name spells; it
 * sees a file gone in one scan and deletes the file's configuration a moment later, and it reads a file in
 * one moment and applies it a moment later. So when {@code gw:sensor remove x; gw:sensor add x} deletes the
 * file and makes it again in between, File Install deleted the new {@code x}, or made the old one again from
 * the text it had just read. Before the write-back deletes a file it gives the file a stand-in: a configuration
 * of the factory {@link #FACTORY_PID} (no component uses it) that carries the file's name. File Install looks
 * the name up before any PID, so whatever it still does about that file, it does to the stand-in: it deletes
 * the stand-in (it saw the file gone), or applies the file to it (it sees the file there again: then the
 * file's own configuration gets what File Install would have given it, and the stand-in goes). Never more
 * than one stand-in per file name. One File Install never touched (it never saw that file: it lived less than
 * two scans) goes at the first deletion after its file has been gone {@link #EXPIRY_MILLIS}, or at the next
 * start, before File Install starts ({@link DeletedWhileStopped}).
 */
final class StandIns {
    static final String FACTORY_PID = "org.edgegate.etc.removed";
    /** Set only by the write-back: File Install's update of a stand-in replaces every property. */
    static final String UNTOUCHED = "org.edgegate.etc.untouched";
    /** When the write-back made the stand-in (epoch milliseconds). */
    static final String SINCE = "org.edgegate.etc.since";
    /** File Install scans every second: a file gone this long is a deletion it has handled or never will. */
    static final long EXPIRY_MILLIS = 30_000;
    private static final List<String> ADMIN = List.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private final ConfigurationAdmin cm;
    private final CfgFile cfg;

    StandIns(ConfigurationAdmin cm, CfgFile cfg) {
        this.cm = cm;
        this.cfg = cfg;
    }

    static boolean is(String factoryPid) {
        return FACTORY_PID.equals(factoryPid);
    }

    /** Gives the file a stand-in unless it has one; called before the file is deleted. */
    void reserve(Path file) throws IOException, InvalidSyntaxException {
        if (standIn(file) != null) {
            return;
        }
        Configuration standIn = cm.getFactoryConfiguration(FACTORY_PID, file.getFileName().toString(), "?");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(EtcFolder.FILENAME, EtcFolder.key(file));
        properties.put(UNTOUCHED, Boolean.TRUE);
        properties.put(SINCE, System.currentTimeMillis());
        standIn.update(properties);
    }

    /** Deletes the untouched stand-ins whose file has been gone for {@link #EXPIRY_MILLIS}; returns how many. */
    int expire(long now) throws IOException, InvalidSyntaxException {
        int expired = 0;
        for (Configuration c : list("(&(service.factoryPid=" + FACTORY_PID + ")(" + UNTOUCHED + "=true))")) {
            Dictionary<String, Object> p = c.getProperties();
            Object name = p == null ? null : p.get(EtcFolder.FILENAME);
            if (name != null && p.get(SINCE) instanceof Long since && now - since > EXPIRY_MILLIS
                    && !Files.exists(Path.of(java.net.URI.create(name.toString())))) {
                c.delete();
                expired++;
            }
        }
        return expired;
    }

    /** Whether the file has a stand-in: File Install may still act on an older state of the file. */
    boolean reserved(Path file) throws IOException, InvalidSyntaxException {
        return standIn(file) != null;
    }

    /** Configurations other than the stand-in that carry the file's name: File Install made them from it. */
    List<Configuration> madeFrom(Path file) throws IOException, InvalidSyntaxException {
        List<Configuration> found = new ArrayList<>();
        for (Configuration c : list("(" + EtcFolder.FILENAME + "=" + escape(EtcFolder.key(file)) + ")")) {
            if (!is(c.getFactoryPid())) {
                found.add(c);
            }
        }
        return found;
    }

    /**
     * A stand-in was updated. When File Install applied its file to it (the write-back's mark is gone) and the
     * file is there, File Install tracks the file as present again: the file's configuration gets the file's
     * content as File Install would give it (the one carrying the name, else the PID the name spells) and the
     * stand-in goes; returns that configuration's PID. While the file is gone the stand-in stays for File
     * Install's coming deletion; returns null.
     */
    String handOver(String standInPid) throws IOException, InvalidSyntaxException {
        Configuration[] found = cm.listConfigurations("(service.pid=" + escape(standInPid) + ")");
        if (found == null || found.length == 0) {
            return null;
        }
        Configuration standIn = found[0];
        Dictionary<String, Object> properties = standIn.getProperties();
        Object name = properties == null ? null : properties.get(EtcFolder.FILENAME);
        if (name == null || properties.get(UNTOUCHED) != null) {
            return null;
        }
        Path file = Path.of(java.net.URI.create(name.toString()));
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<Configuration> owners = madeFrom(file);
        Configuration owner = owners.isEmpty() ? spelled(file) : owners.get(0);
        Map<String, Object> inFile = cfg.read(file);
        Dictionary<String, Object> current = owner.getProperties();
        if (current == null || !CfgFile.same(inFile, map(current))) {
            Hashtable<String, Object> wanted = new Hashtable<>(inFile);
            wanted.put(EtcFolder.FILENAME, name.toString());
            owner.update(wanted);
        }
        standIn.delete();
        return owner.getPid();
    }

    /** The configuration File Install makes from a file's name: {@code <pid>.cfg}, {@code <factoryPid>-<name>.cfg}. */
    private Configuration spelled(Path file) throws IOException {
        String base = file.getFileName().toString();
        base = base.substring(0, base.lastIndexOf('.'));
        int dash = base.indexOf('-');
        return dash > 0 ? cm.getFactoryConfiguration(base.substring(0, dash), base.substring(dash + 1), "?")
                : cm.getConfiguration(base, "?");
    }

    /** Deletes every stand-in: at start-up, before File Install starts, nothing it does can be older. */
    static int sweep(ConfigurationAdmin cm) throws IOException, InvalidSyntaxException {
        Configuration[] all = cm.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            c.delete();
        }
        return all == null ? 0 : all.length;
    }

    private Configuration standIn(Path file) throws IOException, InvalidSyntaxException {
        List<Configuration> found = list("(&(service.factoryPid=" + FACTORY_PID + ")(" + EtcFolder.FILENAME + "="
                + escape(EtcFolder.key(file)) + "))");
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Configuration> list(String filter) throws IOException, InvalidSyntaxException {
        Configuration[] found = cm.listConfigurations(filter);
        return found == null ? List.of() : List.of(found);
    }

    /** An LDAP filter value: backslash, parentheses and star escaped. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '(' || ch == ')' || ch == '*') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    private static Map<String, Object> map(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (!ADMIN.contains(key)) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }
}
