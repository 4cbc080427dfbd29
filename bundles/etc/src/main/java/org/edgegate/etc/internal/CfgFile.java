package org.edgegate.etc.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.felix.utils.properties.TypedProperties;

/**
 * One {@code etc/*.cfg} file, updated to hold a configuration's properties: File Install's own format and
 * writer (comments and layout kept), but through a temporary file renamed over the old one, so a reader (File
 * Install's watcher polls every second) sees the old file or the new one, never a truncated one.
 */
final class CfgFile {
    /** Properties Configuration Admin and File Install add, never written to the file. */
    static final Set<String> NOT_WRITTEN = Set.of("service.pid", "service.factoryPid", "felix.fileinstall.filename",
            "service.bundleLocation");

    private CfgFile() {
    }

    /** The file's properties as File Install reads them (typed, variables substituted). */
    static Map<String, Object> read(Path file, TypedProperties.SubstitutionCallback substitution, Charset charset)
            throws IOException {
        TypedProperties held = load(file, substitution, charset);
        Map<String, Object> values = new HashMap<>();
        for (String key : held.keySet()) {
            values.put(key, held.get(key));
        }
        return values;
    }

    /** Whether two property sets hold the same values, leaving out what is never written. */
    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> x = written(a);
        Map<String, Object> y = written(b);
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : x.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), y.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> written(Map<String, Object> properties) {
        Map<String, Object> w = new HashMap<>(properties);
        w.keySet().removeAll(NOT_WRITTEN);
        return w;
    }

    private static TypedProperties load(Path file, TypedProperties.SubstitutionCallback substitution, Charset charset)
            throws IOException {
        TypedProperties held = new TypedProperties(substitution);
        try (Reader in = Files.newBufferedReader(file, charset)) {
            held.load(in);
        }
        return held;
    }

    /**
     * Makes the file hold {@code properties}; returns false and leaves the file untouched when it already
     * does (as right after File Install made the configuration from it).
     */
    static boolean update(Path file, Map<String, Object> properties, TypedProperties.SubstitutionCallback substitution,
            Charset charset) throws IOException {
        TypedProperties held = load(file, substitution, charset);
        List<String> removed = new ArrayList<>();
        for (String key : held.keySet()) {
            if (!properties.containsKey(key) && !NOT_WRITTEN.contains(key)) {
                removed.add(key);
            }
        }
        boolean changed = !removed.isEmpty();
        for (String key : removed) {
            held.remove(key);
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (!NOT_WRITTEN.contains(e.getKey()) && !Objects.deepEquals(e.getValue(), held.get(e.getKey()))) {
                held.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        if (!changed) {
            return false;
        }
        // Not named *.cfg: File Install must not take the temporary file for a configuration.
        Path temporary = file.resolveSibling("." + file.getFileName() + ".saving");
        try (Writer out = Files.newBufferedWriter(temporary, charset)) {
            held.save(out);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }
}
