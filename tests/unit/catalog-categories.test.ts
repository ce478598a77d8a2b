import { describe, expect, it } from "vitest";
import { MAX_CATEGORY_DEPTH, categoryPath, hierarchyProblem, pathDepth, type CategoryLink } from "../../shared/domain/category-records";

const link = (id: string, parent: string | null): CategoryLink => ({ external_category_id: id, external_parent_id: parent });

describe("category paths", () => {
  it("joins the parent's path and the name", () => {
    expect(categoryPath(undefined, "Electronics")).toBe("Electronics");
    expect(categoryPath("Electronics", "Laptops")).toBe("Electronics > Laptops");
    expect(categoryPath("Electronics > Laptops", "Gaming")).toBe("Electronics > Laptops > Gaming");
    expect(pathDepth("Electronics > Laptops > Gaming")).toBe(3);
  });

  it("accepts a root, a known chain and a parent not known yet", () => {
    expect(hierarchyProblem("lap", null, [])).toBeUndefined();
    expect(hierarchyProblem("gam", "lap", [link("lap", "el"), link("el", null)])).toBeUndefined();
    expect(hierarchyProblem("chairs", "furniture", [])).toBeUndefined();
  });

  it("refuses a category as its own parent or ancestor, and trees too deep", () => {
    expect(hierarchyProblem("a", "a", [])).toBe("own_parent");
    expect(hierarchyProblem("a", "b", [link("b", "a")])).toBe("cycle");
    expect(hierarchyProblem("a", "c", [link("c", "b"), link("b", "a")])).toBe("cycle");
    const chain = Array.from({ length: MAX_CATEGORY_DEPTH }, (_, index) => link(`c${index}`, `c${index + 1}`));
    expect(hierarchyProblem("new", "c0", chain)).toBe("too_deep");
    expect(hierarchyProblem("new", "c0", chain.slice(1))).toBeUndefined();
  });
});
