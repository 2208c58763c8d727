package org.seggateway.dicomio.net;

/** Receives {@link AssociationEvent}s of a {@link DicomReceiver}; called on the association's thread. */
@FunctionalInterface
public interface AssociationListener {

    AssociationListener NONE = event -> {};

    void onEvent(AssociationEvent event);
}
