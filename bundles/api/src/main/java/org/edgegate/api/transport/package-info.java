/** Transport endpoints (ZeroMQ and others) and their statistics. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.api.transport;
