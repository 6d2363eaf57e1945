// Uploads: a dropped or chosen file is sent at once; the button says that it is being checked.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var input = document.getElementById("files");
    var drop = document.getElementById("drop");
    var monthField = document.getElementById("month-field");
    function showMonth() {
      var kind = form.querySelector("input[name=kind]:checked");
      monthField.hidden = kind && kind.value === "answer";
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", showMonth); });
    showMonth();
    function send() {
      if (!input.files || !input.files.length) { return; }
      var names = [];
      for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
      document.getElementById("chosen").textContent = "正在检查：" + names.join("、");
      document.getElementById("upload-button").disabled = true;
      document.getElementById("upload-busy").hidden = false;
      form.submit();
    }
    input.addEventListener("change", send);
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        send();
      }
    });
    form.addEventListener("submit", function () {
      document.getElementById("upload-button").disabled = true;
      document.getElementById("upload-busy").hidden = false;
    });
  });
})();
