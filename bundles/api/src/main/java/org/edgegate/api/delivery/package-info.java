/** How whiteboard listeners (readings, state changes, frames) are called: on a thread of their own or directly. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.edgegate.api.delivery;
