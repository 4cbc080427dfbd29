/**
 * The JSON convention of EdgeGate's wire formats (the ZeroMQ headers of docs/zmq.md and the MQTT payloads of
 * docs/mqtt.md), defined once and shared at run time: every bundle that writes or reads the wire imports this
 * package, so a hot-updated bundle can never carry a different convention than the others.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.wire;
