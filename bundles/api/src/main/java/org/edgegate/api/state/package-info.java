/** Shared state: typed key/value entries with versions, compare-and-set, prefix listeners and validators. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.edgegate.api.state;
