/*
 * The "add to Sonarr/Radarr" fields (templates/seedbox/_add_fields.html) of the mapping dialog and of
 * the resolve dialog of the activity page:
 *   MediaSuiteArrAdd.show(fieldset, type)  -> Promise: fills the root folders and quality profiles
 *                                             (GET /api/seedbox/arr-options, defaults from the settings)
 *   MediaSuiteArrAdd.read(fieldset)        -> {root_folder, quality_profile_id, monitored, search}
 */
(function () {
  "use strict";
  if (window.MediaSuiteArrAdd) return;
  var cache = {};

  function options(select, items, value, label) {
    select.textContent = "";
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.value;
      option.textContent = item.label;
      option.selected = String(item.value) === String(value);
      select.appendChild(option);
    });
    if (!items.length) select.appendChild(new Option(label, ""));
  }

  function show(fieldset, type) {
    fieldset.querySelector("[data-role=service]").textContent = type === "movie" ? "Radarr" : "Sonarr";
    fieldset.hidden = false;
    cache[type] = cache[type] || window.MediaSuiteRequest("GET", "/api/seedbox/arr-options?type=" + type, undefined,
                                                          {timeout: 30000});
    return cache[type].then(function (o) {
      options(fieldset.querySelector("[name=root_folder]"), o.root_folders.map(function (f) {
        return {value: f.path, label: f.path};
      }), o.root_folder, "no root folder: add one in its settings");
      options(fieldset.querySelector("[name=quality_profile_id]"), o.quality_profiles.map(function (p) {
        return {value: p.id, label: p.name};
      }), o.quality_profile_id, "no quality profile");
    }, function (error) { delete cache[type]; throw error; });
  }

  function read(fieldset) {
    return {root_folder: fieldset.querySelector("[name=root_folder]").value,
            quality_profile_id: parseInt(fieldset.querySelector("[name=quality_profile_id]").value, 10) || null,
            monitored: fieldset.querySelector("[name=monitored]").checked,
            search: fieldset.querySelector("[name=search]").checked};
  }

  window.MediaSuiteArrAdd = {show: show, read: read};
})();
