package org.edgegate.camera.internal.opencv;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * OpenCV's native library kept in a folder of the installation across runs ({@code data/native}), so that a
 * start does not inflate the 65 MB library out of the OpenCV jar again (a third of a second of CPU on x86-64,
 * seconds on a Pi). {@code bin/edgegate} names the folder in {@value #DIR_PROPERTY} and puts it on
 * {@code java.library.path}; the library is then loaded by name from the OpenCV bundle's own class loader
 * ({@code org.opencv.osgi.OpenCVNativeLoader}), which the JDK resolves on that path. A stamp beside the file
 * says which jar entry it came from, so a new OpenCV (or another architecture) replaces it.
 */
public final class OpenCvLibraryCache {
    /** The folder (system property, set by bin/edgegate); unset: no cache, openpnp's temporary copy. */
    public static final String DIR_PROPERTY = "edgegate.native.dir";
    private static final String STAMP_SUFFIX = ".source";

    private OpenCvLibraryCache() {
    }

    /** The cache folder, or null when none is named or the JDK would not look in it (not on the path). */
    public static Path folder(String dir, String libraryPath) {
        if (dir == null || dir.isBlank() || libraryPath == null) {
            return null;
        }
        Path folder = Paths.get(dir).toAbsolutePath().normalize();
        for (String entry : libraryPath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && Paths.get(entry).toAbsolutePath().normalize().equals(folder)) {
                return folder;
            }
        }
        return null;
    }

    /** The jar entry of the library for this platform (as openpnp lays them out), or null if there is none. */
    public static String entry(String osName, String osArch, String fileName) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux") || osArch == null) {
            return null;
        }
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "ARMv8";
            case "arm", "armv7l", "armhf" -> "ARMv7";
            default -> null;
        };
        return arch == null ? null : "nu/pattern/opencv/linux/" + arch + "/" + fileName;
    }

    /**
     * Makes {@code folder/fileName} the library of {@code source} (a jar entry of {@code size} bytes described
     * by {@code stamp}): kept when it is already there from the same entry, else copied in whole and then
     * renamed into place (a crash never leaves a half file under the library's name).
     *
     * @return true when the file had to be copied
     */
    public static boolean prepare(Path folder, String fileName, URL source, String stamp) throws IOException {
        Path lib = folder.resolve(fileName);
        Path stampFile = folder.resolve(fileName + STAMP_SUFFIX);
        URLConnection c = source.openConnection();
        long size = c.getContentLengthLong();
        String want = stamp + " " + size;
        if (Files.isRegularFile(lib) && Files.isRegularFile(stampFile) && (size < 0 || Files.size(lib) == size)
                && want.equals(Files.readString(stampFile, StandardCharsets.UTF_8).trim())) {
            return false;
        }
        Files.createDirectories(folder);
        Path tmp = Files.createTempFile(folder, ".opencv", ".tmp");
        try {
            try (InputStream in = c.getInputStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path tmpStamp = Files.createTempFile(folder, ".opencv", ".tmp");
            Files.writeString(tmpStamp, want + "\n", StandardCharsets.UTF_8);
            Files.move(tmpStamp, stampFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }
}
