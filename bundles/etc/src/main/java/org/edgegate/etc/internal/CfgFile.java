package org.edgegate.etc.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Array;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.felix.utils.properties.TypedProperties;

/**
 * One {@code etc/*.cfg} file, made to hold a configuration's properties: File Install's own format and
 * writer (comments and layout kept), but through a temporary file renamed over the old one, so a reader (File
 * Install's watcher polls every second) sees the old file or the new one, never a truncated one.
 */
final class CfgFile {
    /** Properties Configuration Admin and File Install add, never written to the file. */
    static final Set<String> NOT_WRITTEN = Set.of("service.pid", "service.factoryPid", "felix.fileinstall.filename",
            "service.bundleLocation");
    /** A new file: the owner writes, the group (the operators) reads, others nothing (it may hold secrets). */
    static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r-----");

    private final TypedProperties.SubstitutionCallback substitution;
    private final Charset charset;

    CfgFile(TypedProperties.SubstitutionCallback substitution, Charset charset) {
        this.substitution = substitution;
        this.charset = charset;
    }

    /** What a file's text will hold once written, and whether it differs from the file as it is. */
    record Rendered(String text, boolean changed) {
    }

    /** The file's properties as File Install reads them (typed, variables substituted). */
    Map<String, Object> read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, charset)) {
            return values(load(in));
        }
    }

    /** A text's properties as File Install would read them from a file. */
    Map<String, Object> parse(String text) throws IOException {
        return values(load(new StringReader(text)));
    }

    private static Map<String, Object> values(TypedProperties held) {
        Map<String, Object> values = new HashMap<>();
        for (String key : held.keySet()) {
            values.put(key, held.get(key));
        }
        return values;
    }

    private TypedProperties load(Reader in) throws IOException {
        TypedProperties held = new TypedProperties(substitution);
        held.load(in);
        return held;
    }

    /** Whether two property sets hold the same values as text, leaving out what is never written. */
    static boolean same(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> x = written(a);
        Map<String, Object> y = written(b);
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : x.entrySet()) {
            if (!sameValue(e.getValue(), y.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** 5, "5" and 5L are the same value to a component (metatype converts); arrays element by element. */
    static boolean sameValue(Object a, Object b) {
        return Objects.equals(text(a), text(b));
    }

    private static Object text(Object value) {
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(text(Array.get(value, i)));
            }
            return list;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(CfgFile::text).toList();
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> written(Map<String, Object> properties) {
        Map<String, Object> w = new HashMap<>(properties);
        w.keySet().removeAll(NOT_WRITTEN);
        return w;
    }

    /**
     * The text of {@code file} (or of a new file when it does not exist) changed to hold {@code properties}:
     * unchanged keys keep their text (and {@code ${...}} variables), comments and order are kept.
     */
    Rendered render(Path file, Map<String, Object> properties) throws IOException {
        TypedProperties held;
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, charset)) {
                held = load(in);
            }
        } else {
            held = new TypedProperties(substitution);
        }
        List<String> removed = new ArrayList<>();
        for (String key : held.keySet()) {
            if (!properties.containsKey(key) && !NOT_WRITTEN.contains(key)) {
                removed.add(key);
            }
        }
        boolean changed = !removed.isEmpty() || !Files.isRegularFile(file);
        for (String key : removed) {
            held.remove(key);
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (!NOT_WRITTEN.contains(e.getKey()) && !sameValue(e.getValue(), held.get(e.getKey()))) {
                // Typed values make the file typed (File Install's I"5"): File Install then reads back what the
                // configuration holds and does not update it again (every update restarts the components).
                held.put(e.getKey(), e.getValue());
                changed = true;
            }
        }
        StringWriter out = new StringWriter();
        held.save(out);
        return new Rendered(out.toString(), changed);
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file renamed over it. The file keeps its mode,
     * owner and group (an operator's 0600 stays 0600); a new file is made {@link #NEW_FILE}.
     */
    void write(Path file, String text) throws IOException {
        // Not named *.cfg: File Install must not take the temporary file for a configuration.
        Path temporary = file.resolveSibling("." + file.getFileName() + ".saving");
        Files.deleteIfExists(temporary);
        // Made private first, whatever the umask; opened without following a link planted in its place.
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (Writer out = new java.io.OutputStreamWriter(Files.newOutputStream(temporary,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), charset)) {
                out.write(text);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (Files.isRegularFile(file)) {
                PosixFileAttributes old = Files.readAttributes(file, PosixFileAttributes.class);
                try {
                    if (!old.owner().equals(view.readAttributes().owner())) {
                        view.setOwner(old.owner()); // root only; a gateway running as the owner needs none
                    }
                    if (!old.group().equals(view.readAttributes().group())) {
                        view.setGroup(old.group()); // a group the gateway's user is a member of
                    }
                } catch (FileSystemException e) {
                    // not allowed: the gateway's own user and group then, the mode kept all the same
                }
                view.setPermissions(old.permissions());
            } else {
                view.setPermissions(NEW_FILE);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Makes the file hold {@code properties}; returns false and leaves the file untouched when it already
     * does (as right after File Install made the configuration from it).
     */
    boolean update(Path file, Map<String, Object> properties) throws IOException {
        Rendered rendered = render(file, properties);
        if (!rendered.changed()) {
            return false;
        }
        write(file, rendered.text());
        return true;
    }
}
