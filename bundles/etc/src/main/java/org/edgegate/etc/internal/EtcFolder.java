package org.edgegate.etc.internal;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.apache.felix.utils.properties.InterpolationHelper;
import org.apache.felix.utils.properties.TypedProperties;
import org.osgi.framework.BundleContext;

/**
 * The folder File Install watches for configurations ({@code felix.fileinstall.dir}, as File Install sees it:
 * its canonical path) and which file in it belongs to which configuration: the one File Install recorded
 * ({@code felix.fileinstall.filename}) when it lies in this folder, else the name File Install itself would
 * use, {@code <pid>.cfg} or {@code <factoryPid>-<name>.cfg}. A file recorded in another folder is never
 * ours: a copy of the installation must not write into the original's etc/.
 */
final class EtcFolder {
    static final String FILENAME = "felix.fileinstall.filename";
    static final String DIR = "felix.fileinstall.dir";
    static final String ENABLE_CONFIG_SAVE = "felix.fileinstall.enableConfigSave";
    static final String CONFIG_ENCODING = "felix.fileinstall.configEncoding";
    /** What a name must look like to make a file name File Install maps back to the same PID. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern PID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.]*");

    private final Path dir;
    private final CfgFile cfg;

    private EtcFolder(Path dir, CfgFile cfg) {
        this.dir = dir;
        this.cfg = cfg;
    }

    /**
     * The watched folder, or null when this bundle has nothing to do: File Install writes back itself (its
     * {@code enableConfigSave} is not false, as in Karaf) or watches no folder given by a framework property.
     */
    static EtcFolder of(BundleContext context) throws IOException {
        if (!"false".equalsIgnoreCase(String.valueOf(context.getProperty(ENABLE_CONFIG_SAVE)).trim())) {
            return null;
        }
        String dir = context.getProperty(DIR);
        if (dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
            return null;
        }
        InterpolationHelper.SubstitutionCallback framework =
                new InterpolationHelper.BundleContextSubstitutionCallback(context);
        TypedProperties.SubstitutionCallback substitution = (name, key, variable) -> framework.getValue(variable);
        String encoding = context.getProperty(CONFIG_ENCODING);
        Charset charset = Charset.forName(encoding == null ? "ISO-8859-1" : encoding); // File Install's default
        return new EtcFolder(Path.of(dir).toRealPath(), new CfgFile(substitution, charset));
    }

    Path dir() {
        return dir;
    }

    CfgFile cfg() {
        return cfg;
    }

    /** The file File Install recorded for this configuration, when it lies in this folder; else null. */
    Path recorded(Dictionary<String, Object> properties) {
        Path file = recordedAnywhere(properties);
        return file != null && dir.equals(file.getParent()) ? file : null;
    }

    /** Whether File Install recorded a file for this configuration in another folder. */
    boolean recordedElsewhere(Dictionary<String, Object> properties) {
        Path file = recordedAnywhere(properties);
        return file != null && !dir.equals(file.getParent());
    }

    private static Path recordedAnywhere(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get(FILENAME);
        if (name == null) {
            return null;
        }
        try {
            return Path.of(URI.create(name.toString())).normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /**
     * The file File Install reads this configuration from: {@code <pid>.cfg}, or {@code <factoryPid>-<name>.cfg}
     * for a named factory configuration ({@code factoryPid~name}). Null for a factory configuration with a
     * generated PID (as the Web Console makes them; see {@link #fresh}) and for a PID no file name can carry
     * (File Install splits a name at its first '-').
     */
    Path named(String pid, String factoryPid) {
        if (factoryPid == null) {
            return PID.matcher(pid).matches() ? dir.resolve(pid + ".cfg") : null;
        }
        String prefix = factoryPid + "~";
        if (!PID.matcher(factoryPid).matches() || !pid.startsWith(prefix)) {
            return null;
        }
        String name = pid.substring(prefix.length());
        return NAME.matcher(name).matches() ? dir.resolve(factoryPid + "-" + name + ".cfg") : null;
    }

    /**
     * A new file for a factory configuration with a generated PID: {@code <factoryPid>-<id>.cfg} after its
     * {@code id} property when that file is free (not {@code taken}: there, or a name File Install may still
     * connect with another configuration), else after the generated part of the PID. Null when the
     * factory PID cannot be carried by a file name.
     */
    Path fresh(String pid, String factoryPid, Object id, Predicate<Path> taken) {
        if (!PID.matcher(factoryPid).matches()) {
            return null;
        }
        if (id != null && NAME.matcher(id.toString()).matches()) {
            Path byId = dir.resolve(factoryPid + "-" + id + ".cfg");
            if (!taken.test(byId)) {
                return byId;
            }
        }
        String generated = pid.startsWith(factoryPid + ".") ? pid.substring(factoryPid.length() + 1) : pid;
        return NAME.matcher(generated).matches() ? dir.resolve(factoryPid + "-" + generated + ".cfg") : null;
    }

    /** The value File Install records for a file (its {@code File.toURI()}), so that it finds the configuration. */
    static String key(Path file) {
        return new File(file.toString()).getAbsoluteFile().toURI().toString();
    }
}
