package org.edgegate.api.camera;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A JPEG encoder and decoder of 8-bit BGR pixels, registered as a service. Several may be present (the
 * camera bundle's own on OpenCV, one over the system's libjpeg-turbo, ...): users take the one with the
 * highest {@code service.ranking}, so the fastest codec installed serves, and fall back to the next when it
 * goes away. Implementations are thread-safe; {@link #NAME} names them in status.
 */
@ProviderType
public interface JpegCodec {
    /** Service property: the codec's short name, e.g. {@code opencv} or {@code turbojpeg}. */
    String NAME = "edgegate.jpeg.codec";

    /** The short name, as in {@link #NAME}. */
    String name();

    /** What the codec runs on, for status: library, version, whether it uses SIMD. */
    String description();

    /**
     * Encodes BGR pixels that lie in native memory (e.g. an OpenCV {@code Mat}'s {@code dataAddr()}),
     * without copying them first.
     *
     * @param address first byte of the top row
     * @param stride bytes from one row to the next, at least {@code width * 3}
     * @param quality 1 to 100
     * @throws IllegalStateException when the codec cannot encode (e.g. it has been stopped)
     */
    byte[] encode(long address, int width, int height, int stride, int quality);

    /** Encodes {@code width * height * 3} BGR bytes, row-major. */
    byte[] encode(byte[] bgr, int width, int height, int quality);

    /**
     * Decodes a JPEG to BGR pixels.
     *
     * @throws IllegalArgumentException when the bytes are not a JPEG this codec can decode
     */
    JpegImage decode(byte[] jpeg);
}
