// "Listen" on the scan page: the producer's recording when there is one, otherwise the browser's own
// speech synthesis reading the story in the page's language. No library, a few hundred bytes.
(function () {
  "use strict";
  var button = document.querySelector("[data-listen]");
  if (!button) return;
  var audio = document.querySelector("[data-story-audio]");
  var text = document.querySelector("[data-story-text]");
  var status = document.querySelector("[data-listen-status]");
  var label = button.textContent;
  var playing = false;

  function done() { playing = false; button.textContent = label; }

  button.addEventListener("click", function () {
    if (playing) {
      if (audio) { audio.pause(); } else if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
      done();
      return;
    }
    if (audio) {
      audio.play();
      audio.onended = done;
    } else if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      var utterance = new SpeechSynthesisUtterance(text ? text.innerText : "");
      utterance.lang = button.getAttribute("data-lang");
      utterance.onend = done;
      utterance.onerror = done;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    } else {
      if (status) status.textContent = button.getAttribute("data-no-speech");
      return;
    }
    playing = true;
    button.textContent = button.getAttribute("data-stop-label");
  });
})();
