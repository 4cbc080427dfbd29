package org.edgegate.zmq.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.edgegate.api.camera.Frame;
import org.edgegate.api.sensor.Reading;
import org.edgegate.api.state.StateChange;
import org.edgegate.wire.WireJson;

/**
 * How an endpoint turns readings, frames and state changes into ZeroMQ messages: the native
 * three-frame format, or one of the compatibility formats that existing receivers expect.
 */
public interface WireFormat {

    /** The topic a subscriber filters on (the first frame), or null if the format has none. */
    String topic(Object item);

    /** The message frames, or null if this format does not carry the item. */
    byte[][] encode(Object item);

    byte[] EMPTY = new byte[0];

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code [topic, JSON header, payload]}: see README "Native stream". */
    final class Native implements WireFormat {
        private final boolean raw;

        public Native(boolean raw) {
            this.raw = raw;
        }

        @Override
        public String topic(Object item) {
            if (item instanceof Reading r) {
                return "sensor/" + r.sensorId();
            } else if (item instanceof Frame f) {
                return "camera/" + f.cameraId();
            } else if (item instanceof StateChange c) {
                return "state/" + c.key();
            }
            return null;
        }

        @Override
        public byte[][] encode(Object item) {
            String topic = topic(item);
            if (item instanceof Reading r) {
                return new byte[][] { utf8(topic), utf8(header(r)), EMPTY };
            } else if (item instanceof Frame f) {
                byte[] payload = raw ? f.bgr() : f.jpeg();
                return new byte[][] { utf8(topic), utf8(header(f, raw)), payload };
            } else if (item instanceof StateChange c) {
                return new byte[][] { utf8(topic), utf8(header(c)), EMPTY };
            }
            return null;
        }

        static String header(Reading r) {
            return Json.write(w -> {
                w.beginObject();
                WireJson.readingFields(w, r);
                w.endObject();
            });
        }

        static String header(Frame f, boolean raw) {
            return Json.write(w -> {
                w.beginObject();
                WireJson.frameFields(w, f);
                if (raw) {
                    w.name("format").value("bgr");
                    w.name("dtype").value("uint8");
                    w.name("shape").beginArray().value(f.height()).value(f.width()).value(3).endArray();
                } else {
                    w.name("format").value("jpeg");
                }
                w.endObject();
            });
        }

        static String header(StateChange c) {
            return Json.write(w -> {
                w.beginObject();
                if (c.isRemoval()) {
                    w.name("key").value(c.key());
                    w.name("version").value(c.version());
                    w.name("ts").value(c.timestamp());
                    w.name("removed").value(true);
                } else {
                    Json.entryFields(w, c.entry());
                }
                w.endObject();
            });
        }
    }

    /** The seed's message: one frame, the base64 (standard alphabet, padded) of the JPEG. */
    final class Seed implements WireFormat {
        @Override
        public String topic(Object item) {
            return null;
        }

        @Override
        public byte[][] encode(Object item) {
            if (item instanceof Frame f) {
                return new byte[][] { Base64.getEncoder().encode(f.jpeg()) };
            }
            return null;
        }
    }

    /**
     * imagezmq's {@code send_jpg}: {@code [{"msg": name}, jpeg]}; raw pixels as {@code send_image} does:
     * {@code [{"msg", "dtype", "shape"}, bytes]}.
     */
    final class ImageZmq implements WireFormat {
        private final boolean raw;
        private final String nameTemplate;
        private final String host;

        public ImageZmq(boolean raw, String nameTemplate, String host) {
            this.raw = raw;
            this.nameTemplate = nameTemplate;
            this.host = host;
        }

        String name(String cameraId) {
            return nameTemplate.replace("{host}", host).replace("{camera}", cameraId);
        }

        @Override
        public String topic(Object item) {
            return null;
        }

        @Override
        public byte[][] encode(Object item) {
            if (!(item instanceof Frame f)) {
                return null;
            }
            String meta = Json.write(w -> {
                w.beginObject();
                w.name("msg").value(name(f.cameraId()));
                if (raw) {
                    w.name("dtype").value("uint8");
                    w.name("shape").beginArray().value(f.height()).value(f.width()).value(3).endArray();
                }
                w.endObject();
            });
            return new byte[][] { utf8(meta), raw ? f.bgr() : f.jpeg() };
        }
    }
}
