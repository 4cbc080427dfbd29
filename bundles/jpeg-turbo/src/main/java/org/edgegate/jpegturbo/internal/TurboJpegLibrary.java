package org.edgegate.jpegturbo.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The part of the TurboJPEG C API (turbojpeg.h) we call, bound by JNA direct mapping. These functions
 * are in libjpeg-turbo 2.x and 3.x alike. {@code unsigned long} sizes are {@link NativeLong}, so the
 * binding is right on 32-bit ARM (armhf) as on 64-bit systems.
 */
final class TurboJpegLibrary {
    static final int TJPF_BGR = 1;
    static final int TJSAMP_420 = 2;
    static final int TJFLAG_NOREALLOC = 1024;
    static final int TJERR_WARNING = 0;

    private static NativeLibrary library;

    private TurboJpegLibrary() {
    }

    /**
     * Loads the library once per class loader (a failure is tried again next time, e.g. after the package
     * was installed); null when it is usable, otherwise why not. {@code name}: a library name
     * ({@code turbojpeg}, found as libturbojpeg.so.0) or a path.
     */
    static synchronized String load(String name) {
        if (library != null) {
            return null;
        }
        try {
            NativeLibrary lib = NativeLibrary.getInstance(name);
            Native.register(TurboJpegLibrary.class, lib);
            library = lib;
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "cannot load " + (name.contains("/") ? name : "lib" + name)
                    + " (Debian, Ubuntu, Raspberry Pi OS: apt install libturbojpeg0): " + e.getMessage();
        }
    }

    /** The file the library was loaded from, and which TurboJPEG API generation it offers. */
    static synchronized String describe() {
        if (library == null) {
            return "not loaded";
        }
        String api;
        try {
            library.getFunction("tj3Init");
            api = "TurboJPEG 3";
        } catch (UnsatisfiedLinkError e) {
            api = "TurboJPEG 2";
        }
        java.io.File f = library.getFile();
        String file = library.getName();
        if (f != null) {
            try {
                file = f.toPath().toRealPath().toString();
            } catch (java.io.IOException e) {
                file = f.getPath();
            }
        }
        return "libjpeg-turbo, " + api + " API (" + file + ")";
    }

    static native Pointer tjInitCompress();

    static native Pointer tjInitDecompress();

    static native int tjDestroy(Pointer handle);

    static native NativeLong tjBufSize(int width, int height, int jpegSubsamp);

    /** {@code jpegBuf}: unsigned char **; {@code jpegSize}: unsigned long *. */
    static native int tjCompress2(Pointer handle, Pointer srcBuf, int width, int pitch, int height, int pixelFormat,
            Pointer jpegBuf, Pointer jpegSize, int jpegSubsamp, int jpegQual, int flags);

    /** {@code width}, {@code height}, {@code jpegSubsamp}, {@code jpegColorspace}: int *. */
    static native int tjDecompressHeader3(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer width,
            Pointer height, Pointer jpegSubsamp, Pointer jpegColorspace);

    static native int tjDecompress2(Pointer handle, Pointer jpegBuf, NativeLong jpegSize, Pointer dstBuf, int width,
            int pitch, int height, int pixelFormat, int flags);

    static native String tjGetErrorStr2(Pointer handle);

    static native int tjGetErrorCode(Pointer handle);
}
