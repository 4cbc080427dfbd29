package org.edgegate.jpegturbo.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "EdgeGate JPEG codec (libjpeg-turbo)",
        description = "JPEG encoding and decoding through the system's libjpeg-turbo (SIMD), offered to the cameras "
                + "as a codec service. Registered only where the library loads; otherwise OpenCV's codec serves.")
@interface TurboJpegConfig {
    @AttributeDefinition(name = "Library", description = "The TurboJPEG library to load: a name (turbojpeg finds "
            + "libturbojpeg.so.0, Debian package libturbojpeg0) or an absolute path.")
    String library() default "turbojpeg";

    @AttributeDefinition(name = "Service ranking", description = "Codecs with a higher ranking are preferred; "
            + "OpenCV's built-in codec has 0.")
    int ranking() default 100;
}
