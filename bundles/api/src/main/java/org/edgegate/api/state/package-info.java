/** Shared state: typed key/value entries with versions, compare-and-set and prefix listeners. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.api.state;
