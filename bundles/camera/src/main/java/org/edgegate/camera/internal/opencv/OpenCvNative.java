package org.edgegate.camera.internal.opencv;

import java.io.IOException;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.opencv.osgi.OpenCVNativeLoader;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;

/**
 * Loads OpenCV's native library once per framework, from the installation's cache folder when there is one
 * ({@link OpenCvLibraryCache}), else from the temporary copy openpnp extracts at every start.
 *
 * <p>A native library can belong to one class loader only. {@code nu.pattern.OpenCV.loadLocally()} runs in
 * the class loader of the OpenCV bundle (which also holds every {@code org.opencv} class with native
 * methods) and remembers that it has loaded, so updates of this bundle find the library already bound
 * and never try to load it into one of their own class loaders.
 */
public final class OpenCvNative {
    /** Where openpnp extracts the library: {@code <java.io.tmpdir>/opencv_openpnp<random>/...}. */
    private static final String EXTRACT_PREFIX = "opencv_openpnp";

    private static volatile String failure;
    private static volatile boolean loaded;

    private OpenCvNative() {
    }

    /** Null when OpenCV is usable, otherwise why not. */
    public static synchronized String ensureLoaded() {
        if (loaded) {
            return null;
        }
        if (failure != null) {
            return failure;
        }
        boolean cached;
        try {
            cached = loadCached();
            if (!cached) {
                nu.pattern.OpenCV.loadLocally();
            }
            // Touch a native method so a library that loaded but does not link fails here, not later.
            org.opencv.core.Core.getVersionString();
            loaded = true;
        } catch (Throwable e) {
            failure = "OpenCV native library not available: " + e;
            return failure;
        }
        if (!cached) {
            removeExtractedCopy();
        }
        return null;
    }

    /**
     * Loads the library from the installation's cache folder ({@link OpenCvLibraryCache}) through the OpenCV
     * bundle's class loader; false when there is no usable cache (then openpnp's temporary copy is used).
     */
    private static boolean loadCached() {
        Path folder = OpenCvLibraryCache.folder(System.getProperty(OpenCvLibraryCache.DIR_PROPERTY),
                System.getProperty("java.library.path"));
        Bundle opencv = FrameworkUtil.getBundle(OpenCVNativeLoader.class);
        if (folder == null || opencv == null) {
            return false;
        }
        // Core's own constants call into the library: the name is openpnp's rule (opencv_java490 for 4.9.0).
        Version v = opencv.getVersion();
        String file = System.mapLibraryName("opencv_java" + v.getMajor() + v.getMinor() + v.getMicro());
        String entry = OpenCvLibraryCache.entry(System.getProperty("os.name"), System.getProperty("os.arch"), file);
        URL source = entry == null ? null : opencv.getEntry(entry);
        if (source == null) {
            return false;
        }
        // OpenCVNativeLoader announces itself on java.util.logging at INFO: a stray console line at every start.
        Logger quiet = Logger.getLogger("org.opencv.osgi");
        Level level = quiet.getLevel();
        try {
            OpenCvLibraryCache.prepare(folder, file, source, opencv.getSymbolicName() + " " + v + " " + entry);
            quiet.setLevel(Level.WARNING);
            new OpenCVNativeLoader().init();
            return true;
        } catch (IOException | UnsatisfiedLinkError e) {
            // E.g. a read-only data/, or the library still bound to the loader of a refreshed OpenCV bundle.
            return false;
        } finally {
            quiet.setLevel(level);
        }
    }

    /**
     * Deletes the temporary copy of the library (65 MB on x86-64) once it is mapped. openpnp deletes it in a
     * shutdown hook, which cannot load its classes any more once the framework has stopped, so under OSGi
     * every run would leave a copy behind in the temp directory. On Linux a mapped library stays usable
     * after its file is unlinked; elsewhere nothing is done.
     */
    private static void removeExtractedCopy() {
        Path maps = Paths.get("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return;
        }
        try {
            String lib = "/" + System.mapLibraryName(org.opencv.core.Core.NATIVE_LIBRARY_NAME);
            Path tmp = Paths.get(System.getProperty("java.io.tmpdir")).toRealPath();
            List<String> lines = Files.readAllLines(maps);
            for (String line : lines) {
                int slash = line.indexOf('/');
                if (slash < 0 || !line.endsWith(lib)) {
                    continue;
                }
                Path dir = extractionDir(Paths.get(line.substring(slash)), tmp);
                if (dir != null && Files.isDirectory(dir)) {
                    deleteTree(dir);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: at worst the copy stays in the temp directory.
        }
    }

    /** The {@code opencv_openpnp*} folder directly under the temp directory that holds the library. */
    public static Path extractionDir(Path library, Path tmp) {
        for (Path p = library.getParent(); p != null; p = p.getParent()) {
            if (tmp.equals(p.getParent())) {
                return p.getFileName().toString().startsWith(EXTRACT_PREFIX) ? p : null;
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
