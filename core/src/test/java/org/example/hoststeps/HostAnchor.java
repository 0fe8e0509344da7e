package org.example.hoststeps;

/** A host's class, outside promokit's packages, next to which its step schemas live (ConfigSchemaTest). */
public final class HostAnchor {
  private HostAnchor() {}
}
