package org.edgegate.zmq.internal;

import org.edgegate.kernel.ConnectorLog;

/** Where an endpoint reports what an operator should see in the log (the OSGi Logger at run time). */
interface EndpointLog extends ConnectorLog {
    @Override
    default void debug(String message) {
    }

    EndpointLog NONE = new EndpointLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }
    };
}
