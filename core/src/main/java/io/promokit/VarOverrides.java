package io.promokit;

import io.promokit.documents.SourceLocation;
import io.promokit.documents.VarSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A host's var overrides applied to global vars: in place where the name exists, new names last. */
final class VarOverrides {
  private VarOverrides() {}

  static List<VarSpec> apply(List<VarSpec> vars, Map<String, Object> overrides) {
    if (overrides.isEmpty()) {
      return vars;
    }
    Map<String, Object> remaining = new LinkedHashMap<>(overrides);
    List<VarSpec> result = new ArrayList<>();
    for (VarSpec v : vars) {
      result.add(remaining.containsKey(v.name()) ? new VarSpec(v.name(), remaining.remove(v.name()), SourceLocation.IN_CODE) : v);
    }
    remaining.forEach((name, value) -> result.add(new VarSpec(name, value, SourceLocation.IN_CODE)));
    return result;
  }
}
