/** Serial sensors: readings, reading listeners, line parsers and port providers. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.api.sensor;
