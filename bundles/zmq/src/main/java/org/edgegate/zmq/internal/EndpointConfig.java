package org.edgegate.zmq.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of the factory PID {@value #PID} (Web Console's Configuration tab).
 * The component reads its keys through {@link EndpointSettings#parse}, which gives readable errors
 * instead of silent defaults; the defaults shown here describe what an absent key means.
 */
@ObjectClassDefinition(id = EndpointConfig.PID, name = "EdgeGate ZeroMQ endpoint",
        description = "One ZeroMQ endpoint: the native PUB stream of readings, frames and state changes, a seed or "
                + "imagezmq compatible camera sender, or the shared-state REP endpoint.")
@interface EndpointConfig {
    /** The factory PID: etc/org.edgegate.zmq.endpoint-NAME.cfg. */
    String PID = "org.edgegate.zmq.endpoint";

    @AttributeDefinition(name = "Id", description = "Name of this endpoint, unique among endpoints (gw:endpoints, "
            + "gw:status, logs).")
    String id();

    @AttributeDefinition(name = "Mode", description = "native: [topic, JSON header, payload] messages; seed: base64 "
            + "JPEG per message, one camera (the seed's receivers); imagezmq: [{\"msg\": name}, JPEG] (imagezmq's "
            + "send_jpg); state: REP endpoint answering JSON get/put/cas/remove/list requests.",
            options = { @Option(label = "native", value = "native"), @Option(label = "seed", value = "seed"),
                    @Option(label = "imagezmq", value = "imagezmq"), @Option(label = "state", value = "state") })
    String mode() default "native";

    @AttributeDefinition(name = "Socket", description = "ZeroMQ socket type. Empty: the mode's own (native pub, "
            + "seed pair, imagezmq req, state rep). native: pub, push or pair; seed: pair or push; imagezmq: req "
            + "or pub; state: rep.", required = false)
    String socket() default "";

    @AttributeDefinition(name = "Address", description = "ZeroMQ address, e.g. tcp://127.0.0.1:5556. tcp://*:5556 "
            + "serves other machines (turn on CURVE then). Empty: tcp://127.0.0.1:5556 for native, "
            + "tcp://127.0.0.1:5557 for state; seed and imagezmq need one.", required = false)
    String address() default "";

    @AttributeDefinition(name = "Bind", description = "true binds the address, false connects to it. Empty: native, "
            + "pub, rep and state bind; seed and req connect.", required = false)
    String bind() default "";

    @AttributeDefinition(name = "Topics", description = "native only: topic prefixes carried (sensor/, sensor/th, "
            + "camera/, state/camera/ ...). Empty: everything.", required = false)
    String[] topics() default {};

    @AttributeDefinition(name = "Cameras", description = "Camera ids carried; empty: all cameras. A seed endpoint "
            + "carries exactly one camera.", required = false)
    String[] cameras() default {};

    @AttributeDefinition(name = "Maximum frame rate", description = "Frames per second sent per camera at most; 0: "
            + "every frame the camera delivers.", type = AttributeType.DOUBLE, min = "0")
    double max_fps() default 0;

    @AttributeDefinition(name = "Frame format", description = "Camera payload: jpeg, or bgr (raw uint8 pixels, "
            + "height x width x 3) for native and imagezmq.",
            options = { @Option(label = "jpeg", value = "jpeg"), @Option(label = "bgr", value = "bgr") })
    String format() default "jpeg";

    @AttributeDefinition(name = "imagezmq name", description = "imagezmq: the msg sent with each frame; {host} and "
            + "{camera} are replaced by the host name and camera id.")
    String name() default "{host}|{camera}";

    @AttributeDefinition(name = "Send high-water mark", description = "Messages queued per peer inside ZeroMQ; more "
            + "are dropped (PUB) or refused and counted as dropped (PAIR, PUSH). Small keeps slow receivers close "
            + "to live; large rides out bursts of readings.", min = "1")
    int hwm() default 20;

    @AttributeDefinition(name = "Queue", description = "Readings and state changes waiting for the endpoint's "
            + "thread, at most; when full the oldest is dropped (counted). Frames wait in one slot per camera.",
            min = "1")
    int queue() default 1000;

    @AttributeDefinition(name = "Reply timeout (ms)", description = "imagezmq over req: how long to wait for the "
            + "hub's reply before closing and reopening the socket.", min = "1")
    int reply_timeout() default 2000;

    @AttributeDefinition(name = "Batch window (ms)", description = "0: each reading, state change and frame is sent "
            + "at once. More: after a send, what comes within this many milliseconds waits and goes out together, so "
            + "ZeroMQ's I/O thread wakes once per window instead of once per message (less CPU at tens to hundreds "
            + "of messages a second, up to this much latency). Keep it below a camera's frame interval: a camera's "
            + "newer frame replaces its waiting one (counted as dropped). Streams only (pub, push, pair); at most "
            + "1000.", min = "0", max = "1000")
    int batch_window() default 0;

    @AttributeDefinition(name = "Maximum request (bytes)", description = "state: a longer request gets the error "
            + "reply 'request of N bytes is over the limit of M'; longer than 4 x this (at least 64 KiB), ZeroMQ closes "
            + "the connection before reading it.", min = "64")
    int max_request() default 65536;

    @AttributeDefinition(name = "Maximum connections", description = "Binding endpoints: peers served at once "
            + "(subscribers, state clients); a connection beyond is closed at once and counted as an error.",
            min = "1")
    int max_connections() default 64;

    @AttributeDefinition(name = "Retry (s)", description = "Longest wait between attempts to bind a busy or "
            + "missing address; waits start at 1 s and double.", min = "1")
    int retry_max() default 30;

    @AttributeDefinition(name = "CURVE", description = "Encrypt (and with curve.clients, authenticate) with "
            + "ZeroMQ CURVE. A binding endpoint is the CURVE server, a connecting one the client.")
    boolean curve() default false;

    @AttributeDefinition(name = "CURVE key pair", description = "This endpoint's key pair (a secret certificate "
            + "written by gw:zmq keygen); relative paths are under etc/.")
    String curve_keypair() default "zmq/edgegate.key_secret";

    @AttributeDefinition(name = "CURVE allowed clients", description = "Binding endpoints: a directory of client "
            + "public certificates (relative to etc/); only those clients may connect. Empty: any client that "
            + "knows the server's public key.", required = false)
    String curve_clients() default "";

    @AttributeDefinition(name = "CURVE server key", description = "Connecting endpoints: the server's public key, "
            + "as a certificate file (relative to etc/) or 40 Z85 characters.", required = false)
    String curve_serverkey() default "";
}
